/** Reads the `data:` events of a server-sent events response, one JSON payload at a time. */
export function readEvents(response: Response, timeoutMs = 10_000) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const received = async (left: number) => {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no event within ${timeoutMs} ms; received: ${buffer}`)), left),
      ),
    ]);
    if (chunk.done) throw new Error(`the stream ended; received: ${buffer}`);
    buffer += decoder.decode(chunk.value, { stream: true });
  };
  return {
    /** Resolves once the server has started the stream (its first bytes), so the subscription is live. */
    started: () => received(timeoutMs),
    async next(): Promise<unknown> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = /(?:^|\n)event: next\ndata: (.*)\n\n/.exec(buffer) ?? /(?:^|\n)data: (\{.*\})\n\n/.exec(buffer);
        if (match) {
          buffer = buffer.slice(match.index + match[0].length);
          return JSON.parse(match[1]!);
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no event within ${timeoutMs} ms; received: ${buffer}`);
        await received(left);
      }
    },
    close: () => reader.cancel(),
  };
}
