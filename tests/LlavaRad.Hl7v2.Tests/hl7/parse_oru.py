#!/usr/bin/python3
"""Parses an ER7 message with python3-hl7 (an independent parser) and prints the fields the tests compare, as JSON."""
import json
import sys

import hl7

with open(sys.argv[1], encoding="utf-8", newline="") as f:
    text = f.read()
if "\n" in text:
    sys.exit("segments must be separated by CR only")
msg = hl7.parse(text)
obr = msg.segment("OBR")
print(json.dumps({
    "segments": [str(s[0]) for s in msg],
    "type": str(msg.segment("MSH")[9]),
    "controlId": str(msg.segment("MSH")[10]),
    "version": str(msg.segment("MSH")[12]),
    "patientId": str(msg.segment("PID")[3][0][0]),
    "issuer": str(msg.segment("PID")[3][0][3]),
    "familyName": str(msg.segment("PID")[5][0][0]),
    "givenName": str(msg.segment("PID")[5][0][1]),
    "accession": str(obr[3]),
    "procedure": str(obr[4][0][0]),
    "resultStatus": str(obr[25]),
    "obx": [{"type": str(s[2]), "value": msg.unescape(str(s[5])), "status": str(s[11])} for s in msg.segments("OBX")],
}, ensure_ascii=False))
