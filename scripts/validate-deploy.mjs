// Renders every kustomization under deploy/kubernetes with `kubectl kustomize` and validates each
// object against the Kubernetes API schemas (kubernetes-models, generated from the OpenAPI of
// Kubernetes itself), then a few rules of this project's own that the schemas cannot express.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

const root = join(import.meta.dirname, '..');
const deployRoot = join(root, 'deploy/kubernetes');

function kustomizations(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...kustomizations(path));
    else if (name === 'kustomization.yaml') found.push(dir);
  }
  return found;
}

function hasKubectl() {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The rendered objects of one kustomization; without kubectl, the plain files of a base. */
function render(dir) {
  if (hasKubectl()) return execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  const kustomization = parseAllDocuments(
    readFileSync(join(dir, 'kustomization.yaml'), 'utf8'),
  )[0].toJS();
  if (kustomization.patches || kustomization.images || kustomization.namespace) {
    throw new Error(`kubectl is needed to render ${relative(root, dir)} (an overlay)`);
  }
  return kustomization.resources
    .map((resource) => join(dir, resource))
    .map((path) => (statSync(path).isDirectory() ? render(path) : readFileSync(path, 'utf8')))
    .join('\n---\n');
}

async function modelFor(apiVersion, kind) {
  const module = await import(`kubernetes-models/${apiVersion}`).catch(() => undefined);
  return module?.[kind];
}

function projectRules(object) {
  const problems = [];
  if (object.kind !== 'Deployment' && object.kind !== 'Job') return problems;
  const pod = object.spec.template.spec;
  if (pod.securityContext?.runAsNonRoot !== true) problems.push('pod must set runAsNonRoot');
  for (const container of pod.containers) {
    const where = `container ${container.name}`;
    if (container.securityContext?.readOnlyRootFilesystem !== true)
      problems.push(`${where}: readOnlyRootFilesystem`);
    if (!container.resources?.requests?.memory || !container.resources?.limits?.memory)
      problems.push(`${where}: memory request and limit`);
    if (object.kind === 'Deployment') {
      if (!container.readinessProbe) problems.push(`${where}: readinessProbe`);
      if (!container.livenessProbe) problems.push(`${where}: livenessProbe`);
    }
    for (const source of container.env ?? []) {
      if (/SECRET|PASSWORD|TOKEN|_URL$/.test(source.name) && source.value !== undefined)
        problems.push(`${where}: ${source.name} must come from a Secret, not a literal`);
    }
  }
  return problems;
}

let failures = 0;
let checked = 0;
if (!hasKubectl()) {
  process.stdout.write(
    'kubectl not found: validating the bases file by file (overlays need kubectl)\n',
  );
}
for (const dir of kustomizations(deployRoot)) {
  const name = relative(root, dir);
  let text;
  try {
    text = render(dir);
  } catch (error) {
    if (!hasKubectl()) continue;
    process.stderr.write(`${name}: cannot render: ${error.message}\n`);
    failures++;
    continue;
  }
  const objects = parseAllDocuments(text)
    .map((document) => document.toJS())
    .filter(Boolean);
  for (const object of objects) {
    const label = `${name}: ${object.kind}/${object.metadata?.name}`;
    const Model = await modelFor(object.apiVersion, object.kind);
    if (!Model) {
      process.stderr.write(
        `${label}: unknown apiVersion/kind ${object.apiVersion} ${object.kind}\n`,
      );
      failures++;
      continue;
    }
    const problems = [];
    try {
      new Model(object).validate();
    } catch (error) {
      problems.push(error.message);
    }
    problems.push(...projectRules(object));
    checked++;
    if (problems.length > 0) {
      failures++;
      process.stderr.write(`${label}:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    }
  }
  process.stdout.write(`${name}: ${objects.length} objects\n`);
}
process.stdout.write(`${checked} objects validated, ${failures} invalid\n`);
process.exit(failures > 0 || checked === 0 ? 1 : 0);
