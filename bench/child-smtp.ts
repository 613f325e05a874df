// The tests' real SMTP server (test/mail/smtp-fixture.ts: STARTTLS with a certificate made for
// the run, login required, every message parsed) in a process of its own, so receiving and
// parsing do not share the sender's event loop. `node bench/child-smtp.ts`: prints one JSON line
// {url, ca} when it listens; on SIGTERM prints {received, bytes, secure} and exits.
import { startTestSmtp } from '../test/mail/smtp-fixture.ts';

const smtp = await startTestSmtp();
process.stdout.write(`${JSON.stringify({ url: smtp.url, ca: smtp.ca })}\n`);
process.once('SIGTERM', () => {
  void smtp.close().then(() => {
    const received = smtp.received;
    process.stdout.write(`${JSON.stringify({
      received: received.length,
      bytes: received.reduce((sum, mail) => sum + mail.raw.length, 0),
      secure: received.filter((mail) => mail.isSecure).length,
    })}\n`);
    process.exit(0);
  });
});
