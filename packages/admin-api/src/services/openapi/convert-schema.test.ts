import { expect, test } from "vitest";
import { optionalBody, SchemaConverter } from "./convert-schema.ts";

test("[OPENAPI] nullable adds null to the type and the enum; without a type the schema is wrapped", () => {
  const converter = new SchemaConverter({}, true);
  expect(converter.standalone({ type: "string", nullable: true, enum: ["a", "b"] })).toEqual({
    type: ["string", "null"],
    enum: ["a", "b", null],
  });
  expect(converter.standalone({ nullable: true, allOf: [{ minLength: 1 }] })).toEqual({
    anyOf: [{ type: "null" }, { allOf: [{ minLength: 1 }] }],
  });
  expect(converter.standalone({ type: "integer", nullable: false, minimum: 0, exclusiveMinimum: true })).toEqual({
    type: "integer",
    exclusiveMinimum: 0,
  });
});

test("[OPENAPI] component refs become $defs with only the reachable components, nested refs and cycles kept", () => {
  const components = {
    Pet: { type: "object", properties: { owner: { $ref: "#/components/schemas/Owner" } } },
    Owner: { type: "object", properties: { pets: { type: "array", items: { $ref: "#/components/schemas/Pet" } } } },
    Tag: { type: "string", nullable: true },
    Unused: { type: "string" },
  };
  const converter = new SchemaConverter(components, true);
  expect(
    converter.standalone({
      type: "object",
      properties: {
        pet: { $ref: "#/components/schemas/Pet" },
        tags: { type: "array", items: { $ref: "#/components/schemas/Tag", description: "ignored in 3.0" } },
      },
    }),
  ).toEqual({
    type: "object",
    properties: { pet: { $ref: "#/$defs/Pet" }, tags: { type: "array", items: { $ref: "#/$defs/Tag" } } },
    $defs: {
      Pet: { type: "object", properties: { owner: { $ref: "#/$defs/Owner" } } },
      Owner: { type: "object", properties: { pets: { type: "array", items: { $ref: "#/$defs/Pet" } } } },
      Tag: { type: ["string", "null"] },
    },
  });
  expect(() => converter.standalone({ $ref: "#/components/schemas/Nope" })).toThrow(/names no schema/);
});

test("[OPENAPI] a 3.1 schema stays as it is, apart from its component refs", () => {
  const schema = {
    type: ["string", "null"],
    const: "x",
    exclusiveMinimum: 3,
    properties: { nullable: { type: "boolean" }, "x-name": { type: "string" } },
    $ref: "#/components/schemas/Base",
    description: "a sibling of $ref counts in 3.1",
  };
  const converter = new SchemaConverter({ Base: { minLength: 1 } }, false);
  expect(converter.standalone(schema)).toEqual({ ...schema, $ref: "#/$defs/Base", $defs: { Base: { minLength: 1 } } });
});

test("[OPENAPI] an optional body keeps its $defs at the root and checks only a body that is there", () => {
  expect(optionalBody({ type: "object", $defs: { A: {} } })).toEqual({
    $defs: { A: {} },
    if: { type: ["null", "boolean", "object", "array", "number", "string"] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's `then` keyword
    then: { type: "object" },
  });
});
