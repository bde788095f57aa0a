import { createServer } from "node:http";
import { expect, test } from "vitest";
import { closeServer, listenLocal } from "../test-support/servers.ts";
import { answerVerdict } from "./run-policies.ts";

test("a refusal's field errors reach the client in the envelope's fields; one without has none", async () => {
  const fields = [{ path: "body.qty", message: "must be integer" }];
  const server = createServer((req, res) => {
    const withFields = req.url === "/fields";
    answerVerdict(
      res,
      { kind: "reject", code: "bad_request", message: "No", ...(withFields ? { fields } : {}) },
      "req_1",
    );
  });
  const url = await listenLocal(server);
  try {
    const refused = await fetch(`${url}/fields`);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error: { code: "bad_request", message: "No", requestId: "req_1", fields },
    });
    const plain = await (await fetch(`${url}/plain`)).json();
    expect(plain.error.fields).toBeUndefined();
  } finally {
    await closeServer(server);
  }
});
