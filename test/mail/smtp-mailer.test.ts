import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSmtpMailer, describeSmtpUrl, SmtpUrlError } from '../../src/mail/smtp-mailer.ts';
import { MailerConfigurationError } from '../../src/mail/mailer.ts';
import { SMTP_PASSWORD, startTestSmtp, type TestSmtp } from './smtp-fixture.ts';

let smtp: TestSmtp;
before(async () => {
  smtp = await startTestSmtp();
});
after(async () => {
  await smtp.close();
});

const mail = (to: string) => ({ from: 'Unit <unit@police.example>', to, subject: 'Test', text: 'Hallo', messageId: `m.${to.replace(/\W/g, '')}@police.example`, headers: { 'X-Lode-Reference': 'T-00001-00' } });

test('a message goes over STARTTLS with login, the certificate checked against the given CA', async () => {
  const mailer = openSmtpMailer({ url: `${smtp.url}?requireTLS=true`, ca: smtp.ca });
  try {
    await mailer.verify();
    const outcome = await mailer.send(mail('someone@example.nl'));
    assert.equal(outcome.kind, 'accepted');
    const received = smtp.received.at(-1)!;
    assert.ok(received.isSecure);
    assert.equal(received.user, 'lode');
    assert.deepEqual(received.envelopeTo, ['someone@example.nl']);
    assert.equal(received.mail.messageId, '<m.someoneexamplenl@police.example>');
    assert.equal(received.mail.headers.get('x-lode-reference'), 'T-00001-00');
  } finally {
    mailer.close();
  }
});

test('a certificate nobody vouched for, or a wrong password, stops before any message: a configuration error', async () => {
  const untrusted = openSmtpMailer({ url: `${smtp.url}?requireTLS=true` });
  await assert.rejects(untrusted.verify(), MailerConfigurationError);
  untrusted.close();
  const wrong = openSmtpMailer({ url: smtp.url.replace(SMTP_PASSWORD, 'wrong'), ca: smtp.ca });
  await assert.rejects(wrong.send(mail('x@example.nl')), (error: Error) => error instanceof MailerConfigurationError && /refused/.test(error.message));
  wrong.close();
});

test('a refused recipient is a permanent failure (a bounce); a busy relay a transient one', async () => {
  const mailer = openSmtpMailer({ url: smtp.url, ca: smtp.ca });
  try {
    smtp.refuse.add('gone@example.nl');
    const bounced = await mailer.send(mail('gone@example.nl'));
    assert.equal(bounced.kind, 'refused');
    assert.ok(bounced.kind === 'refused' && bounced.permanent && bounced.code === 550 && /User unknown/.test(bounced.response));
    smtp.failNext.count = 1;
    const busy = await mailer.send(mail('later@example.nl'));
    assert.ok(busy.kind === 'refused' && !busy.permanent && busy.code === 451);
    assert.equal((await mailer.send(mail('later@example.nl'))).kind, 'accepted');
  } finally {
    mailer.close();
  }
});

test('mail server URLs: smtp or smtps only, and the password never shown', () => {
  assert.equal(describeSmtpUrl('smtp://user:secret@mail.example:587'), 'smtp://user@mail.example:587');
  assert.throws(() => openSmtpMailer({ url: 'http://mail.example' }), SmtpUrlError);
  assert.throws(() => openSmtpMailer({ url: 'not a url' }), SmtpUrlError);
});
