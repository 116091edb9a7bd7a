/**
 * Export benchmark: a child with years of data (default: 10 years of daily logs of every
 * resource, nightly sleep, weekly weights and body fats, 5,000 activities) exported
 * through `GET /v1/children/:child_id/export`. Reports the document size, the time to
 * stream it, and the heap the streamed export retains at its peak (forced collections,
 * see src/privacy/export.probe.ts), beside the reference measured in the same run: the
 * same answer read whole, as a document built in memory would be held.
 *
 * deno task bench:export [--years=10] [--activities=5000]
 */
import { seedLargeChild } from "../src/privacy/testing.ts";
import { startTestApp } from "../test/harness.ts";

const arg = (name: string, fallback: number) =>
  Number(Deno.args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);

const t = await startTestApp();
const inst = await t.createInstitution();
const child = await t.createUser("child", { institutionId: inst.id });
const seeded = await seedLargeChild(t.db, child.id, {
  years: arg("years", 10),
  activities: arg("activities", 5000),
});
const probe = new URL("../src/privacy/export.probe.ts", import.meta.url).pathname;
const output = await new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "-A",
    "--v8-flags=--expose-gc",
    probe,
    t.deps.config.DATABASE_URL,
    child.id,
    "--buffered",
    "--time",
  ],
  stderr: "inherit",
}).output();
const measured = JSON.parse(new TextDecoder().decode(output.stdout));
console.log(JSON.stringify({ bench: "export", rows: seeded, ...measured }));
await t.close();
