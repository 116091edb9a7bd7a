import { assertEquals, assertMatch } from "../../../../test/assert.ts";
import { serviceToken } from "../../../../test/fake-google-health/setup.ts";
import { googleBed } from "../../testing.ts";
import { registerSubscriber } from "./subscriber.ts";

// The subscriber registration (`deno task google-health:subscribe`) against the fake, which
// verifies the endpoint as Google does: the running service answers the probe pair.

const SECRET = "Bearer subscriber-secret-0123456789";
const bed = await googleBed({ GOOGLE_HEALTH_WEBHOOK_SECRET: SECRET });
const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, bed.t.app.fetch);
const endpointUri = `http://127.0.0.1:${server.addr.port}/v1/google-health/notifications`;
const input = {
  apiUrl: bed.fake.urls.api,
  projectNumber: "123456789012",
  subscriberId: "ocariot",
  endpointUri,
  secret: SECRET,
  accessToken: serviceToken(bed.fake),
};

Deno.test("registers the subscriber (Google verifies the endpoint), then updates it", async () => {
  const created = await registerSubscriber(input);
  assertEquals(created, {
    name: "projects/123456789012/subscribers/ocariot",
    endpointUri,
    state: "ACTIVE",
    action: "created",
  });
  const [subscriber] = bed.fake.webhooks.subscribers.values();
  assertEquals((subscriber.subscriberConfigs[0] as { dataTypes: string[] }).dataTypes.length, 8);
  assertEquals((await registerSubscriber(input)).action, "updated");
});

Deno.test("a secret the service does not hold fails Google's verification, with Google's message", async () => {
  let message = "";
  try {
    await registerSubscriber({
      ...input,
      subscriberId: "other",
      secret: "Bearer not-the-one-0000",
    });
  } catch (error) {
    message = (error as Error).message;
  }
  assertMatch(message, /Google refused the subscriber \(400\): Endpoint verification failed/);
});

Deno.test("(close the server and the testbed)", async () => {
  await server.shutdown();
  await bed.close();
});
