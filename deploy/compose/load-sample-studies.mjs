// One-shot loader for the evaluation stack: puts every sample study's DICOM files into Orthanc and its FHIR
// transaction bundle (Patient, ServiceRequest, Endpoint, ImagingStudy) into the FHIR server, with the bundle's
// DICOMweb placeholder replaced by the address the worker will use. Idempotent: Orthanc keeps one copy of an
// instance and the bundles use conditional creates. Node 20+ (global fetch), no dependencies.
//
// Env: SAMPLES_DIR (default /samples), ORTHANC_URL, DICOMWEB_URL (as the worker reaches it), FHIR_URL,
//      ORTHANC_USER and ORTHANC_PASSWORD_FILE (optional; basic auth, the password read from a secret file).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const samples = process.env.SAMPLES_DIR ?? '/samples';
const orthanc = required('ORTHANC_URL').replace(/\/$/, '');
const dicomweb = required('DICOMWEB_URL').replace(/\/$/, '');
const fhir = required('FHIR_URL').replace(/\/$/, '');
const password = process.env.ORTHANC_PASSWORD_FILE ? (await readFile(process.env.ORTHANC_PASSWORD_FILE, 'utf8')).trim() : '';
const auth = process.env.ORTHANC_USER
  ? { authorization: 'Basic ' + Buffer.from(`${process.env.ORTHANC_USER}:${password}`).toString('base64') }
  : {};

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function send(url, init, what) {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${what}: ${url} answered ${response.status} ${await response.text()}`);
  return response;
}

const manifest = JSON.parse(await readFile(join(samples, 'manifest.json'), 'utf8'));
let instances = 0;
for (const study of manifest.studies) {
  for (const file of study.files) {
    const body = await readFile(join(samples, file.path));
    await send(`${orthanc}/instances`, { method: 'POST', headers: { 'content-type': 'application/dicom', ...auth }, body }, file.path);
    instances++;
  }
  const bundle = (await readFile(join(samples, study.fhirBundle), 'utf8')).replaceAll(manifest.dicomwebPlaceholder, dicomweb);
  await send(fhir + '/', { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: bundle }, study.fhirBundle);
}
console.log(`loaded ${instances} instances and ${manifest.studies.length} FHIR bundles`);
