/** One Server-Sent Event: its name ("message" unless it says otherwise) and its data lines joined. */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * The events of a text/event-stream body as they arrive. Comments and events without data are
 * skipped; leaving the loop cancels the stream.
 */
export async function* sseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body) {
    // Only the new text (and the newline before it) can hold the end of the event being read:
    // searching the whole buffer again on every chunk made a 1.5 MB event cost O(n²).
    const searchFrom = Math.max(0, buffer.length - 1);
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf("\n\n", searchFrom); end !== -1; end = buffer.indexOf("\n\n")) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("data:")) data.push(line.slice(line.startsWith("data: ") ? 6 : 5));
        else if (line.startsWith("event:")) event = line.slice(6).trim();
      }
      if (data.length > 0) yield { event, data: data.join("\n") };
    }
  }
}
