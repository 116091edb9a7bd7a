/**
 * The webhook emitter of the fake (google-health.md §5.3–§5.5, §6.7): a P-256 signing key
 * published as a Tink-style keyset, and deliveries of the endpoint-verification probe and of
 * notifications to a receiver, with the `Authorization` secret and the
 * `GOOGLE-HEALTH-API-SIGNATURE` header. Registered subscribers are kept here; `subscribers.ts`
 * serves their management routes.
 */
import { dateObject } from "./datatypes.ts";
import type { FakeState } from "./state.ts";

/** The signature header, and its name before 2026-07-07. */
export const SIGNATURE_HEADER = "GOOGLE-HEALTH-API-SIGNATURE";
export const OLD_SIGNATURE_HEADER = "X-HEALTHAPI-SIGNATURE";

/** How an interval is written in a notification (the forms seen in the wild, §5.4). */
export type IntervalForm = "physical" | "civil" | "civilIso" | "civilIsoString";

/** One notification to send. */
export interface NotificationInput {
  healthUserId: string;
  dataType: string;
  operation?: "UPSERT" | "DELETE";
  /** Raw `intervals[]`; default one interval over the last hour of the fake clock. */
  intervals?: unknown[];
  intervalForm?: IntervalForm;
  clientProvidedSubscriptionName?: string;
  /** Extra `data` fields (e.g. `recordId` on a sleep DELETE). */
  extra?: Record<string, unknown>;
}

/** Variants for receiver tests (§6.8 `webhookMissingAuth` / `badSignature` / `oldHeaderName`). */
export interface DeliveryVariant {
  missingAuth?: boolean;
  /** Authorization sent, but this value instead of the secret. */
  wrongSecret?: string;
  badSignature?: boolean;
  oldHeaderName?: boolean;
  unsigned?: boolean;
}

/** Where to deliver: a registered subscriber, or a URL and secret given directly. */
export type DeliveryTarget = { subscriber: string } | { endpointUri: string; secret: string };

/** One outbound delivery and the receiver's answer. */
export interface Delivery {
  at: number;
  endpointUri: string;
  kind: "verification" | "notification";
  headers: Record<string, string>;
  body: string;
  /** Receiver's status; 0 when it could not be reached. */
  status: number;
  responseBody: string;
}

/** A registered subscriber. */
export interface Subscriber {
  name: string;
  endpointUri: string;
  subscriberConfigs: unknown[];
  secret: string;
  state: "UNVERIFIED" | "ACTIVE" | "INACTIVE";
  createTime: string;
  updateTime: string;
}

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromB64Url = (text: string) =>
  Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

/** Minimal big-endian two's-complement form of an unsigned integer (as Tink writes x and y). */
function twosComplement(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0 && bytes[start + 1] < 0x80) start++;
  const trimmed = bytes.slice(start);
  return trimmed[0] >= 0x80 ? new Uint8Array([0, ...trimmed]) : trimmed;
}

/** A protobuf length-delimited field. */
function field(tag: number, bytes: Uint8Array): number[] {
  return [tag, bytes.length, ...bytes];
}

/** Raw `r‖s` (64 bytes) → DER `SEQUENCE { INTEGER r, INTEGER s }`. */
export function rawToDer(raw: Uint8Array): Uint8Array {
  const int = (half: Uint8Array) => {
    const value = twosComplement(half);
    return [0x02, value.length, ...value];
  };
  const body = [...int(raw.slice(0, 32)), ...int(raw.slice(32))];
  return new Uint8Array([0x30, body.length, ...body]);
}

/** Signs deliveries and sends them. */
export class WebhookEmitter {
  /** Every delivery, oldest first. */
  deliveries: Delivery[] = [];
  readonly subscribers = new Map<string, Subscriber>();
  /** Whether a verification answered 200 (instead of 201) passes (unconfirmed at Google). */
  accept200 = false;
  private keys?: CryptoKeyPair;
  /** The Tink key id (a positive 32-bit number). */
  keyId = 0;
  private keysetJson: Record<string, unknown> = {};

  constructor(private readonly state: FakeState) {}

  /** Generates the signing key. */
  async init(): Promise<void> {
    this.keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
      "sign",
      "verify",
    ]);
    this.keyId = crypto.getRandomValues(new Uint32Array(1))[0] >>> 1 || 1;
    const jwk = await crypto.subtle.exportKey("jwk", this.keys.publicKey);
    const params = [0x08, 0x03, 0x10, 0x02, 0x18, 0x01]; // SHA256, NIST_P256, DER
    const key = new Uint8Array([
      0x08,
      0x00,
      ...field(0x12, new Uint8Array(params)),
      ...field(0x1a, twosComplement(fromB64Url(jwk.x!))),
      ...field(0x22, twosComplement(fromB64Url(jwk.y!))),
    ]);
    this.keysetJson = {
      primaryKeyId: this.keyId,
      key: [{
        keyData: {
          typeUrl: "type.googleapis.com/google.crypto.tink.EcdsaPublicKey",
          value: b64(key),
          keyMaterialType: "ASYMMETRIC_PUBLIC",
        },
        status: "ENABLED",
        keyId: this.keyId,
        outputPrefixType: "TINK",
      }],
    };
  }

  /** Forgets deliveries and subscribers (the key stays). */
  reset(): void {
    this.deliveries = [];
    this.subscribers.clear();
    this.accept200 = false;
  }

  /** The public keyset (Tink JSON). */
  keyset(): Record<string, unknown> {
    return structuredClone(this.keysetJson);
  }

  /** The signature header value for a body: base64(0x01 ‖ key id ‖ DER signature). */
  async sign(body: Uint8Array<ArrayBuffer>): Promise<string> {
    const raw = new Uint8Array(
      await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, this.keys!.privateKey, body),
    );
    const prefix = new Uint8Array(5);
    prefix[0] = 1;
    new DataView(prefix.buffer).setUint32(1, this.keyId);
    return b64(new Uint8Array([...prefix, ...rawToDer(raw)]));
  }

  private target(to: DeliveryTarget): { endpointUri: string; secret: string } {
    if ("endpointUri" in to) return to;
    const sub = this.subscribers.get(to.subscriber) ??
      [...this.subscribers.values()].find((s) => s.name.endsWith(`/${to.subscriber}`));
    if (!sub) throw new Error(`unknown subscriber ${to.subscriber}`);
    return sub;
  }

  /** Sends one JSON body as Google would, and records the delivery. */
  async deliver(
    to: DeliveryTarget,
    kind: Delivery["kind"],
    payload: unknown,
    variant: DeliveryVariant = {},
  ): Promise<Delivery> {
    const { endpointUri, secret } = this.target(to);
    const text = JSON.stringify(payload);
    const bytes = new TextEncoder().encode(text);
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (!variant.missingAuth) headers.Authorization = variant.wrongSecret ?? secret;
    if (!variant.unsigned) {
      const signed = variant.badSignature ? new TextEncoder().encode(`${text} `) : bytes;
      headers[variant.oldHeaderName ? OLD_SIGNATURE_HEADER : SIGNATURE_HEADER] = await this.sign(
        signed,
      );
    }
    const delivery: Delivery = {
      at: this.state.now(),
      endpointUri,
      kind,
      headers,
      body: text,
      status: 0,
      responseBody: "",
    };
    this.deliveries.push(delivery);
    try {
      const res = await fetch(endpointUri, {
        method: "POST",
        headers,
        body: bytes,
        signal: AbortSignal.timeout(10_000),
      });
      delivery.status = res.status;
      delivery.responseBody = await res.text();
    } catch (error) {
      delivery.responseBody = String(error);
    }
    return delivery;
  }

  /** The endpoint verification of §5.3: the probe with the secret, then without. */
  async verify(
    to: DeliveryTarget,
  ): Promise<{ withSecret: number; withoutSecret: number; ok: boolean }> {
    const probe = { type: "verification" };
    const withSecret = (await this.deliver(to, "verification", probe)).status;
    const withoutSecret =
      (await this.deliver(to, "verification", probe, { missingAuth: true })).status;
    const ok = (withSecret === 201 || (this.accept200 && withSecret === 200)) &&
      (withoutSecret === 401 || withoutSecret === 403);
    return { withSecret, withoutSecret, ok };
  }

  /** A notification body (`{"data": …}`) for one input. */
  notification(input: NotificationInput): Record<string, unknown> {
    return {
      data: {
        version: "1",
        clientProvidedSubscriptionName: input.clientProvidedSubscriptionName ?? "ocariot",
        healthUserId: input.healthUserId,
        operation: input.operation ?? "UPSERT",
        dataType: input.dataType,
        intervals: input.intervals ?? [this.interval(input.intervalForm ?? "physical")],
        ...input.extra,
      },
    };
  }

  private interval(form: IntervalForm): Record<string, unknown> {
    const end = new Date(this.state.now());
    const start = new Date(end.getTime() - 3_600_000);
    const civil = (d: Date) => ({
      date: dateObject(d.toISOString().slice(0, 10)),
      time: { hours: d.getUTCHours(), minutes: d.getUTCMinutes(), seconds: d.getUTCSeconds() },
    });
    switch (form) {
      case "physical":
        return {
          physicalTimeInterval: { startTime: start.toISOString(), endTime: end.toISOString() },
        };
      case "civil":
        return { civilDateTimeInterval: { startDateTime: civil(start), endDateTime: civil(end) } };
      case "civilIso":
        return {
          civilIso8601TimeInterval: {
            startTime: start.toISOString().slice(0, 19),
            endTime: end.toISOString().slice(0, 19),
          },
        };
      case "civilIsoString":
        return {
          civilIso8601TimeInterval: `${start.toISOString().slice(0, 10)}/${
            new Date(end.getTime() + 86_400_000).toISOString().slice(0, 10)
          }`,
        };
    }
  }

  /** Sends notifications: one body per input, or one JSON array when `batch`. */
  async notify(
    to: DeliveryTarget,
    inputs: NotificationInput[],
    options: { batch?: boolean; variant?: DeliveryVariant } = {},
  ): Promise<Delivery[]> {
    const bodies = inputs.map((input) => this.notification(input));
    if (options.batch) return [await this.deliver(to, "notification", bodies, options.variant)];
    const out: Delivery[] = [];
    for (const body of bodies) {
      out.push(await this.deliver(to, "notification", body, options.variant));
    }
    return out;
  }
}
