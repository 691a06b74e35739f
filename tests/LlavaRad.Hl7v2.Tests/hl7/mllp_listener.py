#!/usr/bin/python3
"""A real MLLP receiver for the tests, built on python3-hl7's MLLP streams and parser (independent of our code).

Prints the port it listens on, then for each message appends its MSH-10 to --log and answers with the next code
of --replies (the last one repeats). --hold logs the message and never answers (a receiver that dies mid-exchange).
"""
import argparse
import asyncio
import sys

import hl7
from hl7.mllp import start_hl7_server

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=0)
parser.add_argument("--replies", default="AA")
parser.add_argument("--text", default="")
parser.add_argument("--log", required=True)
parser.add_argument("--hold", action="store_true")
args = parser.parse_args()
replies = args.replies.split(",")
count = 0


async def handle(reader, writer):
    global count
    try:
        while not writer.is_closing():
            message = await reader.readmessage()
            with open(args.log, "a", encoding="utf-8") as log:
                log.write(str(message.segment("MSH")[10]) + "\n")
            if args.hold:
                continue
            code = replies[min(count, len(replies) - 1)]
            count += 1
            ack = message.create_ack(code)
            if args.text:
                ack.segment("MSA").append(hl7.Field(ack.separators[2], [args.text]))
            writer.writemessage(ack)
            await writer.drain()
    except asyncio.IncompleteReadError:
        pass
    finally:
        writer.close()


async def main():
    server = await start_hl7_server(handle, "127.0.0.1", args.port, encoding="utf-8")
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
