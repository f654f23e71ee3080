/** Ctrl+C while a secret was typed: the command stops and changes nothing. */
export class SecretInputCancelled extends Error {
  constructor() {
    super("cancelled");
  }
}

/**
 * Reads a secret without showing it. On a terminal: raw mode, nothing echoed, Backspace works,
 * Ctrl+C aborts. Piped: the first line of standard input (`… | lexbridge admin set-password`).
 */
export async function readSecret(prompt: string, input: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (!input.isTTY) return firstLine(input);
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.resume();
  input.setEncoding("utf8");
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = "";
      const onData = (chunk: string) => {
        for (const ch of chunk) {
          if (ch === "\r" || ch === "\n") {
            input.off("data", onData);
            resolve(typed);
            return;
          }
          if (ch === "\u0003") {
            input.off("data", onData);
            reject(new SecretInputCancelled());
            return;
          }
          if (ch === "\u007f" || ch === "\b") typed = [...typed].slice(0, -1).join("");
          else typed += ch;
        }
      };
      input.on("data", onData);
    });
  } finally {
    input.setRawMode(false);
    input.pause();
    process.stderr.write("\n");
  }
}

async function firstLine(input: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of input) {
    text += String(chunk);
    if (text.includes("\n")) break;
  }
  return text.split(/\r?\n/)[0] ?? "";
}
