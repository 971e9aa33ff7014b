// How the portal's own messages leave: sign-in codes and coordinators' invitation links, through GOV.UK Notify when a
// key is set, otherwise into the development outbox (never read by staff pages, which list only case notifications).
// The words say nothing about a crime or a case: a code, or a link, from a neutral sender.
import type { Config } from '../../config.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { createNotifyClientSender, type NotifyChannel, type NotifySender } from '../../platform/notify/sender.ts';
import { outboxSender } from '../notifications/service.ts';

export type PortalMessageKind = 'sign_in_code' | 'invitation';
export type PortalLanguage = 'en' | 'cy';

// Placeholders for development and the fake Notify; a live service sets its own with NOTIFY_TEMPLATE_IDS.
export const PORTAL_TEMPLATE_IDS: Record<string, string> = {
  'sign_in_code.email.en': '0a1e4c52-7d38-4f0e-9a55-4b3c2f6a0011',
  'sign_in_code.email.cy': '0a1e4c52-7d38-4f0e-9a55-4b3c2f6a0012',
  'sign_in_code.sms.en': '0a1e4c52-7d38-4f0e-9a55-4b3c2f6a0013',
  'sign_in_code.sms.cy': '0a1e4c52-7d38-4f0e-9a55-4b3c2f6a0014',
  'invitation.email.en': '0a1e4c52-7d38-4f0e-9a55-4b3c2f6a0015',
  'invitation.email.cy': '0a1e4c52-7d38-4f0e-9a55-4b3c2f6a0016',
  'invitation.sms.en': '0a1e4c52-7d38-4f0e-9a55-4b3c2f6a0017',
  'invitation.sms.cy': '0a1e4c52-7d38-4f0e-9a55-4b3c2f6a0018',
};

/** The templates' words as Notify holds them; ((code)) and ((link)) are the only personalisation. */
export const PORTAL_TEMPLATE_TEXT: Record<PortalMessageKind, Record<PortalLanguage, string>> = {
  sign_in_code: {
    en: 'Your Haven sign-in code is ((code)). It expires in 10 minutes. Do not share it with anyone.',
    cy: 'Eich cod mewngofnodi Haven yw ((code)). Mae’n dod i ben ymhen 10 munud. Peidiwch â’i rannu ag unrhyw un.',
  },
  invitation: {
    en: 'You have been invited to follow your case online. Open this link to sign in: ((link)) It expires in 7 days.',
    cy: 'Fe’ch gwahoddwyd i ddilyn eich achos ar-lein. Agorwch y ddolen hon i fewngofnodi: ((link)) Mae’n dod i ben ymhen 7 diwrnod.',
  },
};

export type PortalSender = {
  send(message: { kind: PortalMessageKind; channel: NotifyChannel; recipient: string; language: PortalLanguage; personalisation: Record<string, string>; reference: string }): Promise<void>;
};

export function createPortalSender(config: Pick<Config, 'notifyApiKey' | 'notifyBaseUrl' | 'notifyTemplateIds'>, db: Db): PortalSender {
  const sender: NotifySender = config.notifyApiKey
    ? createNotifyClientSender({ apiKey: config.notifyApiKey, ...(config.notifyBaseUrl ? { baseUrl: config.notifyBaseUrl } : {}) })
    : outboxSender(db);
  return {
    async send(message) {
      const key = `${message.kind}.${message.channel}.${message.language}`;
      const templateId = config.notifyTemplateIds[key] ?? PORTAL_TEMPLATE_IDS[key] ?? '';
      const result = await sender.send({ channel: message.channel, recipient: message.recipient, templateId, personalisation: message.personalisation, reference: message.reference });
      if (result.kind === 'rejected') throw new Error(`Notify refused a portal message: ${result.status} ${result.reason}`);
    },
  };
}
