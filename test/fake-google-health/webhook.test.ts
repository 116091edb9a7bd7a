/**
 * The webhook emitter (google-health.md §5.3–§5.5, §6.7–§6.8): notifications signed so that a
 * receiver verifies them with WebCrypto from the published Tink keyset alone (an independent
 * verifier below), the verification probe pair, the receiver-test variants, interval forms and
 * batches, and subscriber creation that verifies the endpoint first.
 */
import { assertEquals, assertTrue } from "../assert.ts";
import { api, testWithFake } from "./client.ts";
import { serviceToken } from "./setup.ts";
import type { IntervalForm } from "./webhooks.ts";

const SECRET = "Bearer hook-secret";

interface Received {
  headers: Headers;
  body: Uint8Array<ArrayBuffer>;
}

/** A receiver as §5 wants it: 401 without the secret, 201 for the probe, 204 otherwise. */
function startReceiver(answer?: (r: Received) => number) {
  const received: Received[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const r = { headers: req.headers, body: new Uint8Array(await req.arrayBuffer()) };
    received.push(r);
    if (answer) return new Response(null, { status: answer(r) });
    if (req.headers.get("Authorization") !== SECRET) return new Response(null, { status: 401 });
    const text = new TextDecoder().decode(r.body);
    return new Response(null, { status: text.includes('"verification"') ? 201 : 204 });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/v1/google-health/notifications`,
    received,
    close: () => server.shutdown(),
  };
}

// ---- an independent verifier: Tink keyset → JWK, header → DER → raw r‖s ---------------------

const fromB64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const to32 = (b: Uint8Array) => {
  const trimmed = b.length > 32 ? b.slice(b.length - 32) : b;
  return new Uint8Array([...new Uint8Array(32 - trimmed.length), ...trimmed]);
};

/** Reads the length-delimited fields of a protobuf message (wire types 0 and 2 only). */
function protoFields(bytes: Uint8Array): Map<number, Uint8Array> {
  const fields = new Map<number, Uint8Array>();
  let i = 0;
  const varint = () => {
    let value = 0;
    let shift = 0;
    while (true) {
      const b = bytes[i++];
      value |= (b & 0x7f) << shift;
      if (b < 0x80) return value;
      shift += 7;
    }
  };
  while (i < bytes.length) {
    const tag = varint();
    if ((tag & 7) === 0) varint();
    else {
      const length = varint();
      fields.set(tag >> 3, bytes.slice(i, i + length));
      i += length;
    }
  }
  return fields;
}

function derToRaw(der: Uint8Array): Uint8Array<ArrayBuffer> {
  let i = 2;
  const int = () => {
    const length = der[i + 1];
    const value = der.slice(i + 2, i + 2 + length);
    i += 2 + length;
    return to32(value);
  };
  return new Uint8Array([...int(), ...int()]);
}

async function verify(keysetUrl: string, body: Uint8Array<ArrayBuffer>, header: string | null) {
  if (!header) return false;
  const keyset = await (await fetch(keysetUrl)).json();
  const sig = fromB64(header);
  const keyId = new DataView(sig.buffer).getUint32(1);
  const entry = keyset.key.find((k: { keyId: number }) => k.keyId === keyId);
  if (sig[0] !== 1 || !entry) return false;
  const fields = protoFields(fromB64(entry.keyData.value));
  const key = await crypto.subtle.importKey(
    "jwk",
    { kty: "EC", crv: "P-256", x: b64url(to32(fields.get(3)!)), y: b64url(to32(fields.get(4)!)) },
    { name: "ECDSA", namedCurve: "P-256" },
    false,
    ["verify"],
  );
  return await crypto.subtle.verify(
    { name: "ECDSA", hash: "SHA-256" },
    key,
    derToRaw(sig.slice(5)),
    body,
  );
}

// ---- tests ------------------------------------------------------------------------------------

async function withReceiver(
  fn: (r: ReturnType<typeof startReceiver>) => Promise<void>,
  answer?: (r: Received) => number,
) {
  const receiver = startReceiver(answer);
  try {
    await fn(receiver);
  } finally {
    await receiver.close();
  }
}

const variants = [
  { name: "signed", variant: {}, header: "GOOGLE-HEALTH-API-SIGNATURE", valid: true },
  {
    name: "old header name",
    variant: { oldHeaderName: true },
    header: "X-HEALTHAPI-SIGNATURE",
    valid: true,
  },
  {
    name: "bad signature",
    variant: { badSignature: true },
    header: "GOOGLE-HEALTH-API-SIGNATURE",
    valid: false,
  },
  {
    name: "unsigned",
    variant: { unsigned: true },
    header: "GOOGLE-HEALTH-API-SIGNATURE",
    valid: false,
  },
];

for (const c of variants) {
  testWithFake(`a ${c.name} notification: verifiable with WebCrypto = ${c.valid}`, async (fake) => {
    await withReceiver(async (receiver) => {
      const [delivery] = await fake.webhooks.notify(
        { endpointUri: receiver.url, secret: SECRET },
        [{ healthUserId: "314159265358979323", dataType: "steps" }],
        { variant: c.variant },
      );
      assertEquals(delivery.status, 204);
      const [got] = receiver.received;
      assertEquals(got.headers.get("Authorization"), SECRET);
      assertEquals(await verify(fake.urls.keyset, got.body, got.headers.get(c.header)), c.valid);
    });
  });
}

testWithFake("the keyset is Tink JSON with one enabled ECDSA public key", async (fake) => {
  const keyset = await (await fetch(fake.urls.keyset)).json();
  assertEquals(keyset.primaryKeyId, fake.webhooks.keyId);
  assertEquals(keyset.key.length, 1);
  const [key] = keyset.key;
  assertEquals(key.keyData.typeUrl, "type.googleapis.com/google.crypto.tink.EcdsaPublicKey");
  assertEquals([key.keyData.keyMaterialType, key.status, key.outputPrefixType], [
    "ASYMMETRIC_PUBLIC",
    "ENABLED",
    "TINK",
  ]);
});

const authVariants = [
  { name: "missingAuth", variant: { missingAuth: true }, auth: null, status: 401 },
  {
    name: "wrongSecret",
    variant: { wrongSecret: "Bearer nope" },
    auth: "Bearer nope",
    status: 401,
  },
];

for (const c of authVariants) {
  testWithFake(`${c.name}: the Authorization header the receiver sees`, async (fake) => {
    await withReceiver(async (receiver) => {
      const [delivery] = await fake.webhooks.notify(
        { endpointUri: receiver.url, secret: SECRET },
        [{ healthUserId: "1", dataType: "sleep" }],
        { variant: c.variant },
      );
      assertEquals(receiver.received[0].headers.get("Authorization"), c.auth);
      assertEquals(delivery.status, c.status);
    });
  });
}

const probes: {
  name: string;
  answer?: (r: Received) => number;
  accept200?: boolean;
  ok: boolean;
}[] = [
  { name: "a receiver following §5.3", ok: true },
  { name: "a receiver answering 2xx without the secret", answer: () => 201, ok: false },
  {
    name: "a receiver answering 200 to the probe",
    answer: (r) => r.headers.get("Authorization") ? 200 : 401,
    ok: false,
  },
  {
    name: "a receiver answering 200, with accept200",
    answer: (r) => r.headers.get("Authorization") ? 200 : 403,
    accept200: true,
    ok: true,
  },
];

for (const c of probes) {
  testWithFake(`the verification pair against ${c.name}: ok = ${c.ok}`, async (fake) => {
    fake.webhooks.accept200 = c.accept200 ?? false;
    await withReceiver(async (receiver) => {
      const result = await fake.webhooks.verify({ endpointUri: receiver.url, secret: SECRET });
      assertEquals(result.ok, c.ok);
      const bodies = receiver.received.map((r) => JSON.parse(new TextDecoder().decode(r.body)));
      assertEquals(bodies, [{ type: "verification" }, { type: "verification" }]);
      assertEquals(receiver.received.map((r) => r.headers.get("Authorization")), [SECRET, null]);
    }, c.answer);
  });
}

const forms: { form: IntervalForm; key: string; check: (v: unknown) => boolean }[] = [
  { form: "physical", key: "physicalTimeInterval", check: (v) => typeof v === "object" },
  { form: "civil", key: "civilDateTimeInterval", check: (v) => typeof v === "object" },
  { form: "civilIso", key: "civilIso8601TimeInterval", check: (v) => typeof v === "object" },
  { form: "civilIsoString", key: "civilIso8601TimeInterval", check: (v) => typeof v === "string" },
];

for (const c of forms) {
  testWithFake(`a notification with the ${c.form} interval form`, (fake) => {
    fake.now = () => Date.parse("2026-09-01T13:00:00Z");
    const body = fake.webhooks.notification({
      healthUserId: "314159265358979323",
      dataType: "steps",
      intervalForm: c.form,
    });
    const data = body.data as Record<string, unknown>;
    assertEquals(
      Object.keys(data),
      [
        "version",
        "clientProvidedSubscriptionName",
        "healthUserId",
        "operation",
        "dataType",
        "intervals",
      ],
    );
    const [interval] = data.intervals as Record<string, unknown>[];
    assertTrue(c.check(interval[c.key]));
  });
}

testWithFake("a batch is one signed JSON array", async (fake) => {
  await withReceiver(async (receiver) => {
    const deliveries = await fake.webhooks.notify(
      { endpointUri: receiver.url, secret: SECRET },
      [{ healthUserId: "1", dataType: "steps" }, {
        healthUserId: "2",
        dataType: "sleep",
        operation: "DELETE",
      }],
      { batch: true },
    );
    assertEquals(deliveries.length, 1);
    const body = JSON.parse(new TextDecoder().decode(receiver.received[0].body));
    assertEquals(body.map((b: { data: { healthUserId: string } }) => b.data.healthUserId), [
      "1",
      "2",
    ]);
    assertTrue(
      await verify(
        fake.urls.keyset,
        receiver.received[0].body,
        receiver.received[0].headers.get("GOOGLE-HEALTH-API-SIGNATURE"),
      ),
    );
  });
});

testWithFake(
  "creating a subscriber verifies the endpoint, then notifications go to it",
  async (fake) => {
    const token = serviceToken(fake);
    await withReceiver(async (receiver) => {
      const created = await api(fake, token, "/v4/projects/123456789/subscribers", {
        query: { subscriberId: "ocariot" },
        json: {
          endpointUri: receiver.url,
          subscriberConfigs: [{
            dataTypes: ["steps", "sleep"],
            subscriptionCreatePolicy: "AUTOMATIC",
          }],
          endpointAuthorization: { secret: SECRET },
        },
      });
      assertEquals(created.status, 200);
      assertEquals(created.body.done, true);
      assertEquals(created.body.response.name, "projects/123456789/subscribers/ocariot");
      assertEquals(created.body.response.state, "ACTIVE");
      assertEquals(
        created.body.response.endpointAuthorization,
        undefined,
        "the secret is not echoed",
      );
      assertEquals(receiver.received.length, 2, "the probe pair came first");
      const [delivery] = await fake.webhooks.notify({ subscriber: "ocariot" }, [
        { healthUserId: "9", dataType: "steps" },
      ]);
      assertEquals(delivery.status, 204);
      const listed = await api(fake, token, "/v4/projects/123456789/subscribers");
      assertEquals(listed.body.totalSize, 1);
      const again = await api(fake, token, "/v4/projects/123456789/subscribers", {
        query: { subscriberId: "ocariot" },
        json: { endpointUri: receiver.url, endpointAuthorization: { secret: SECRET } },
      });
      assertEquals(again.status, 409);
      const deleted = await api(fake, token, "/v4/projects/123456789/subscribers/ocariot", {
        method: "DELETE",
      });
      assertEquals([deleted.status, deleted.body.done], [200, true]);
    });
  },
);

const refusals: {
  name: string;
  path: string;
  answer?: () => number;
  reason: string;
  status: number;
}[] = [
  {
    name: "a project id instead of a number",
    path: "/v4/projects/my-project/subscribers",
    reason: "INVALID_ARGUMENT",
    status: 400,
  },
  {
    name: "an endpoint failing verification",
    path: "/v4/projects/1/subscribers",
    answer: () => 200,
    reason: "FAILED_PRECONDITION",
    status: 400,
  },
];

for (const c of refusals) {
  testWithFake(`creating a subscriber with ${c.name}: ${c.status} ${c.reason}`, async (fake) => {
    const token = serviceToken(fake);
    await withReceiver(async (receiver) => {
      const res = await api(fake, token, c.path, {
        query: { subscriberId: "ocariot" },
        json: { endpointUri: receiver.url, endpointAuthorization: { secret: SECRET } },
      });
      assertEquals([res.status, res.body.error.status], [c.status, c.reason]);
    }, c.answer);
  });
}

testWithFake("subscriber management needs the cloud-platform scope", async (fake) => {
  const user = fake.addUser();
  const { access_token } = fake.grant({ healthUserId: user.healthUserId });
  const res = await api(fake, access_token, "/v4/projects/1/subscribers");
  assertEquals([res.status, res.body.error.details[0].reason], [
    403,
    "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
  ]);
});

testWithFake("patching a subscriber's secret re-verifies the endpoint", async (fake) => {
  const token = serviceToken(fake);
  const path = "/v4/projects/1/subscribers";
  await withReceiver(async (receiver) => {
    await api(fake, token, path, {
      query: { subscriberId: "ocariot" },
      json: { endpointUri: receiver.url, endpointAuthorization: { secret: SECRET } },
    });
    const configs = await api(fake, token, `${path}/ocariot`, {
      method: "PATCH",
      query: { updateMask: "subscriberConfigs" },
      json: {
        subscriberConfigs: [{ dataTypes: ["weight"], subscriptionCreatePolicy: "AUTOMATIC" }],
      },
    });
    assertEquals([configs.status, receiver.received.length], [200, 2], "no probe for configs");
    const secret = await api(fake, token, `${path}/ocariot`, {
      method: "PATCH",
      query: { updateMask: "endpointAuthorization" },
      json: { endpointAuthorization: { secret: "Bearer rotated" } },
    });
    assertEquals([secret.status, secret.body.error.status], [400, "FAILED_PRECONDITION"]);
    assertEquals(receiver.received.length, 4, "the new secret was probed (and refused)");
    const kept = await api(fake, token, `${path}/ocariot`);
    assertEquals(kept.body.subscriberConfigs, [{
      dataTypes: ["weight"],
      subscriptionCreatePolicy: "AUTOMATIC",
    }]);
  });
});
