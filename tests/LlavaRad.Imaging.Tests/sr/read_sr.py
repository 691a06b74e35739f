#!/usr/bin/python3
"""Reads an SR with pydicom (an independent parser) and prints what the tests compare, as JSON."""
import json
import sys

import pydicom


def walk(items):
    for item in items:
        yield item
        yield from walk(getattr(item, "ContentSequence", []))


ds = pydicom.dcmread(sys.argv[1])
tree = list(walk(ds.ContentSequence))
evidence = ds.CurrentRequestedProcedureEvidenceSequence[0]
predecessor = ds.PredecessorDocumentsSequence[0] if "PredecessorDocumentsSequence" in ds else None
predecessor_sop = (predecessor.ReferencedSeriesSequence[0].ReferencedSOPSequence[0]
                   if predecessor is not None else None)
print(json.dumps({
    "transferSyntax": ds.file_meta.TransferSyntaxUID,
    "sopClass": ds.SOPClassUID,
    "sopInstance": ds.SOPInstanceUID,
    "modality": ds.Modality,
    "studyUid": ds.StudyInstanceUID,
    "patientName": str(ds.PatientName),
    "patientId": ds.PatientID,
    "accession": ds.AccessionNumber,
    "seriesDescription": ds.SeriesDescription,
    "verification": ds.VerificationFlag,
    "completion": ds.CompletionFlag,
    "template": ds.ContentTemplateSequence[0].TemplateIdentifier,
    "evidenceSop": evidence.ReferencedSeriesSequence[0].ReferencedSOPSequence[0].ReferencedSOPInstanceUID,
    "predecessorStudy": predecessor.StudyInstanceUID if predecessor is not None else None,
    "predecessorSeries": (predecessor.ReferencedSeriesSequence[0].SeriesInstanceUID
                          if predecessor is not None else None),
    "predecessorSopClass": predecessor_sop.ReferencedSOPClassUID if predecessor_sop is not None else None,
    "predecessorSop": predecessor_sop.ReferencedSOPInstanceUID if predecessor_sop is not None else None,
    "imageSops": [i.ReferencedSOPSequence[0].ReferencedSOPInstanceUID for i in tree if i.ValueType == "IMAGE"],
    "texts": {i.ConceptNameCodeSequence[0].CodeMeaning: i.TextValue for i in tree if i.ValueType == "TEXT"},
    "codes": {i.ConceptNameCodeSequence[0].CodeValue: i.ConceptCodeSequence[0].CodeMeaning
              for i in tree if i.ValueType == "CODE"},
    "deviceUid": next(i.UID for i in tree if i.ValueType == "UIDREF"),
}, ensure_ascii=False))
