// Every victim-facing page and notification in Welsh, with no missing key. Loads every feature's catalogue (each
// features/*/messages.ts exports { en, cy }), then checks: the two languages have the same keys and no empty text; every
// key a victim-facing template asks for with t("...") exists in both; and every notification template has both.
import assert from 'node:assert/strict';
import { globSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { PORTAL_TEMPLATE_TEXT } from '../../../features/portal-sign-in/sender.ts';
import { EMAIL_SUBJECT, TEMPLATE_TEXT } from '../../../features/notifications/rules.ts';
import { addMessages, cy, en } from './catalogue.ts';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
type Catalogue = Record<string, string>;

async function featureCatalogues(): Promise<{ file: string; en: Catalogue; cy: Catalogue }[]> {
  const found: { file: string; en: Catalogue; cy: Catalogue }[] = [];
  for (const file of globSync('features/*/messages.ts', { cwd: src }).sort()) {
    const module = (await import(join(src, file))) as Record<string, unknown>;
    const catalogue = Object.values(module).find((value): value is { en: Catalogue; cy: Catalogue } => typeof value === 'object' && value !== null && 'en' in value && 'cy' in value);
    assert.ok(catalogue, `${file} exports its { en, cy } catalogue`);
    found.push({ file, ...catalogue });
  }
  return found;
}

// The templates a victim or a member of the public sees: the public and portal layouts and every page that uses them.
function victimTemplates(): string[] {
  return globSync(['features/*/views/**/*.njk', 'platform/views/templates/**/*.njk'], { cwd: src })
    .filter((file) => /extends "layouts\/(public|portal)\.njk"|^\{#- Pages (for victims|of the victim)/m.test(readFileSync(join(src, file), 'utf8')) || /layouts\/(public|portal|base)\.njk$/.test(file))
    .sort();
}

describe('the Welsh catalogue', () => {
  it('has the same keys in English and Welsh in every feature, and no empty text', async () => {
    const catalogues = await featureCatalogues();
    assert.ok(catalogues.length >= 8, 'the portal, self-referral and directory catalogues are all found');
    for (const { file, en: english, cy: welsh } of catalogues) {
      assert.deepEqual(Object.keys(welsh).filter((key) => !(key in english)), [], `${file}: Welsh keys with no English`);
      assert.deepEqual(Object.keys(english).filter((key) => !(key in welsh)), [], `${file}: English keys with no Welsh`);
      assert.deepEqual(Object.entries({ ...english, ...welsh }).filter(([, text]) => !text.trim()).map(([key]) => key), [], `${file}: empty text`);
    }
  });

  it('has every key a victim-facing template asks for, in both languages', async () => {
    for (const { en: english, cy: welsh } of await featureCatalogues()) {
      try {
        addMessages(english, welsh);
      } catch {
        // Already added by another import in this process: the keys are there either way.
      }
    }
    const templates = victimTemplates();
    assert.ok(templates.length >= 30, `victim-facing templates found: ${templates.length}`);
    const missing: string[] = [];
    for (const file of templates) {
      const text = readFileSync(join(src, file), 'utf8');
      for (const match of text.matchAll(/\bt\(\s*["']([\w.-]+)["']/g)) {
        const key = match[1]!;
        // A prefix joined to a value ("feedback.rating." + value) is a family of keys, checked by the pages' tests.
        if (key.endsWith('.')) continue;
        if (!(key in en)) missing.push(`${file}: ${key} (English)`);
        if (!(key in cy)) missing.push(`${file}: ${key} (Welsh)`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('has every notification the victim may receive in both languages', () => {
    for (const texts of [...Object.values(TEMPLATE_TEXT), ...Object.values(PORTAL_TEMPLATE_TEXT), EMAIL_SUBJECT]) {
      assert.ok(texts.en.trim() && texts.cy.trim());
      assert.notEqual(texts.en, texts.cy);
    }
  });
});
