// Compile a JSON Schema under four standard Ajv configurations and validate instances.
// usage: node ajv_check.js SCHEMA.json INSTANCES.json  (NODE_PATH must reach the ajv package)
// prints one JSON object: {config: {compiled, error?, results: [{valid, count, errors}]}}
"use strict";
const fs = require("fs");
const Ajv07 = require("ajv").default;
const Ajv2020 = require("ajv/dist/2020").default;

const schema = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const instances = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const configs = {
  // what @rjsf/validator-ajv8 builds by default (its AJV_CONFIG, draft-07 Ajv class)
  "draft-07 default": () => new Ajv07({allErrors: true, multipleOfPrecision: 8, strict: false,
                                       verbose: true}),
  "draft-07 strict": () => new Ajv07({allErrors: true, strict: true}),
  "2020-12 strict": () => new Ajv2020({allErrors: true, strict: true}),
  "2020-12 non-strict": () => new Ajv2020({allErrors: true, strict: false}),
};
const out = {};
for (const [name, make] of Object.entries(configs)) {
  let validate;
  try {
    validate = make().compile(schema);
  } catch (e) {
    out[name] = {compiled: false, error: String(e.message).slice(0, 300), results: []};
    continue;
  }
  const results = instances.map((inst) => {
    const valid = validate(inst);
    const errors = (validate.errors || []).map((e) => ({
      path: e.instancePath, keyword: e.keyword, message: e.message}));
    return {valid, count: errors.length, errors};
  });
  out[name] = {compiled: true, results};
}
process.stdout.write(JSON.stringify(out));
