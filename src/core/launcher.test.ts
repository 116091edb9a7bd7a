import { assertEquals } from "../../test/assert.ts";
import { isLauncher } from "./launcher.ts";

// Which processes above the service count as the command that started it (and so stop it
// when they exit): the documented launchers only, never a shell, supervisor or init.
const cases: [string[], boolean][] = [
  [["npm exec deno@2 task start"], true],
  [["npx", "-y", "deno@2", "task", "start"], true],
  [["/usr/bin/node", "/usr/lib/node_modules/npm/bin/npx-cli.js", "-y", "deno@2"], true],
  [["sh", "-c", "deno task start"], true],
  [["/bin/bash", "-c", "deno task start"], true],
  [["deno", "task", "start"], true],
  [["/root/.npm/_npx/1/node_modules/deno/deno", "task", "--quiet", "start"], true],
  [["-bash"], false],
  [["bash", "walkthrough.sh"], false],
  [["/usr/local/bin/deno", "run", "-A", "src/main.ts"], false],
  [["/usr/local/bin/deno", "test", "-A"], false],
  [["node", "server.js"], false],
  [["/sbin/init"], false],
  [["/usr/lib/systemd/systemd", "--user"], false],
  [["sudo", "deno", "task", "start"], false],
  [[], false],
];

for (const [argv, expected] of cases) {
  Deno.test(`launcher: ${JSON.stringify(argv)} ${expected ? "is" : "is not"} a launcher`, () => {
    assertEquals(isLauncher(argv), expected);
  });
}
