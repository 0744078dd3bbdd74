// What the mail server can take from nodemailer alone: the same messages the queue sent, through a
// pooled transport with nodemailer's default pool (5 connections), all handed over at once so the
// pool is never idle. The queue's throughput is reported against this.
//
//   tsx bench/lib/raw-smtp-process.ts <smtp port> <messages.json>
import { readFileSync } from "node:fs";
import nodemailer from "nodemailer";
import type { SendMailOptions } from "nodemailer";

const [port, file] = process.argv.slice(2);
const messages = JSON.parse(readFileSync(file, "utf8")) as SendMailOptions[];
const transport = nodemailer.createTransport({ pool: true, host: "127.0.0.1", port: Number(port), secure: false });

const started = performance.now();
const results = await Promise.allSettled(messages.map((m) => transport.sendMail(m)));
const seconds = (performance.now() - started) / 1000;
transport.close();

const failed = results.filter((r) => r.status === "rejected").length;
process.stdout.write(JSON.stringify({ sent: messages.length - failed, failed, seconds }) + "\n");
