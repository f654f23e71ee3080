/**
 * A `RunSession` whose run never ends by itself, as a pass stuck in a wait that ignored the stop
 * would be: run as its own process by the Ctrl+C tests, to see the second Ctrl+C and the stop
 * deadline end it. Prints `ready` once its signal handlers are in place.
 */
import { RunSession } from "../cli/run-session.ts";

const session = new RunSession({ json: true });
session.startPass();
setInterval(() => {}, 60_000);
process.stdout.write("ready\n");
