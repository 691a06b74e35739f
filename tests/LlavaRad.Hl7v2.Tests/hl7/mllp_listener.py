#!/usr/bin/python3
"""A real MLLP receiver for the tests, built on python3-hl7's MLLP streams and parser (independent of our code).

Prints the port it listens on, then for each message appends its MSH-10 to --log and answers with the next code
of --replies (the last one repeats). --hold N logs the first N messages and never answers them (a receiver that
dies mid-exchange, or a sender killed before the ACK). --messages DIR also keeps each message, as python3-hl7
parsed it, in DIR/0001.hl7, 0002.hl7, ... in arrival order.
"""
import argparse
import asyncio
import os

import hl7
from hl7.mllp import start_hl7_server

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=0)
parser.add_argument("--replies", default="AA")
parser.add_argument("--text", default="")
parser.add_argument("--log", required=True)
parser.add_argument("--hold", type=int, default=0)
parser.add_argument("--messages", default="")
args = parser.parse_args()
replies = args.replies.split(",")
count = 0
received = 0


async def handle(reader, writer):
    global count, received
    try:
        while not writer.is_closing():
            message = await reader.readmessage()
            received += 1
            # The message before its log line: a test that sees the line can read the message.
            if args.messages:
                with open(os.path.join(args.messages, f"{received:04d}.hl7"), "w", encoding="utf-8", newline="") as kept:
                    kept.write(str(message))
            with open(args.log, "a", encoding="utf-8") as log:
                log.write(str(message.segment("MSH")[10]) + "\n")
            if received <= args.hold:
                continue
            code = replies[min(count, len(replies) - 1)]
            count += 1
            ack = message.create_ack(code)
            if args.text:
                ack.segment("MSA").append(hl7.Field(ack.separators[2], [args.text]))
            writer.writemessage(ack)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass  # the sender closed or was killed
    finally:
        writer.close()


async def main():
    server = await start_hl7_server(handle, "127.0.0.1", args.port, encoding="utf-8")
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
