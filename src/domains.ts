import type { Endpoint } from "./api/endpoint.ts";
import { applicationEndpoints } from "./accounts/applications/applications.routes.ts";
import { childEndpoints } from "./accounts/children/children.routes.ts";
import { familyEndpoints } from "./accounts/families/families.routes.ts";
import {
  educatorGroupEndpoints,
  healthProfessionalGroupEndpoints,
} from "./accounts/groups/groups.routes.ts";
import { institutionEndpoints } from "./accounts/institutions/institutions.routes.ts";
import {
  educatorEndpoints,
  healthProfessionalEndpoints,
} from "./accounts/professionals/professionals.routes.ts";
import { userEndpoints } from "./accounts/users/users.routes.ts";
import { auditEndpoints } from "./audit/audit.routes.ts";
import { loginEndpoints } from "./auth/login.routes.ts";
import { registerCascadeStep } from "./db/cascade.ts";
import { platformEndpoints } from "./platform/platform.routes.ts";
import { exportEndpoints } from "./privacy/export.routes.ts";
import { bodyFatEndpoints } from "./tracking/bodyfats/bodyfats.routes.ts";
import { environmentEndpoints } from "./tracking/environments/environments.routes.ts";
import { logEndpoints } from "./tracking/logs/logs.routes.ts";
import { physicalActivityEndpoints } from "./tracking/physical-activities/physical-activities.routes.ts";
import { sleepEndpoints } from "./tracking/sleep/sleep.routes.ts";
import { trackingCascade } from "./tracking/tracking.cascade.ts";
import { weightEndpoints } from "./tracking/weights/weights.routes.ts";
import { wearablesCascade } from "./wearables/wearables.context.ts";
import { wearableEndpoints } from "./wearables/wearables.routes.ts";

/**
 * What each domain contributes to the app, in one place: its endpoint definitions and
 * its step of an erasure. Endpoints are registered in this order, so a literal path
 * segment (`/v1/children/nfc/…`) comes before a parameter in the same place.
 */
export const ENDPOINTS: readonly Endpoint[] = [
  ...platformEndpoints,
  ...loginEndpoints,
  ...institutionEndpoints,
  ...userEndpoints,
  ...childEndpoints,
  ...educatorEndpoints,
  ...healthProfessionalEndpoints,
  ...educatorGroupEndpoints,
  ...healthProfessionalGroupEndpoints,
  ...familyEndpoints,
  ...applicationEndpoints,
  ...environmentEndpoints,
  ...physicalActivityEndpoints,
  ...logEndpoints,
  ...sleepEndpoints,
  ...weightEndpoints,
  ...bodyFatEndpoints,
  ...wearableEndpoints,
  ...exportEndpoints,
  ...auditEndpoints,
];

// The erasure cascade: each domain's step, run in the caller's transaction.
registerCascadeStep(trackingCascade);
registerCascadeStep(wearablesCascade);
