// Validates each document of a Kubernetes manifest against the API's own schema, as kubernetes-models ships it
// (types, enums and required fields; fields the schema does not know are not refused). Exit 1 with the errors.
//   node kubernetes.mjs config/kubernetes.yaml
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const file = process.argv[2];
let failures = 0;
for (const parsed of parseAllDocuments(readFileSync(file, "utf8"))) {
  if (parsed.errors.length > 0) {
    parsed.errors.forEach((error) => console.error(`${file}: ${error.message}`));
    failures++;
    continue;
  }
  const document = parsed.toJS();
  const name = `${document.apiVersion}/${document.kind} ${document.metadata?.name}`;
  const models = await import(`kubernetes-models/${document.apiVersion}`).catch(() => ({}));
  const Model = models[document.kind];
  if (!Model) {
    console.error(`${file}: no model for ${name}`);
    failures++;
    continue;
  }
  try {
    new Model(document).validate();
    console.log(`valid ${name}`);
  } catch (error) {
    console.error(`${file}: ${name}: ${error.message}`);
    failures++;
  }
}
process.exit(failures === 0 ? 0 : 1);
