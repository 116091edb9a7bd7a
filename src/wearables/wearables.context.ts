import type { CascadeStep } from "../db/cascade.ts";
import type { Wearables } from "./wearables.service.ts";
import { deleteWearableData } from "./store/cascade.ts";

// What the wearables domain contributes to the app: its service on the context and its
// step of a child's erasure. The lower layers name neither.
declare module "../core/context.ts" {
  interface Services {
    /** Wearable providers: tokens, sync, scheduler, revoker; one per process. */
    wearables: Wearables;
  }
}

/** A deleted child's wearable authorization: tokens removed now, remote revocation queued. */
export const wearablesCascade: CascadeStep = { name: "wearables", child: deleteWearableData };
