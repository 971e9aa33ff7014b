import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, readConfig } from './config.ts';

describe('configuration', () => {
  it('has sensible defaults for a new developer', () => {
    const config = readConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.databaseUrl, undefined);
    assert.match(config.dataDir, /data$/);
    assert.equal(config.secureCookies, false);
  });

  it('stops the start with a plain message for a bad value', () => {
    assert.throws(() => readConfig({ PORT: 'eighty' }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /PORT/);
      return true;
    });
    assert.throws(() => readConfig({ DATABASE_URL: 'mysql://x' }), ConfigError);
    assert.equal(readConfig({ DATABASE_URL: '' }).databaseUrl, undefined, 'an empty variable counts as unset');
  });

  it('insists on a real session secret in production', () => {
    assert.throws(() => readConfig({ NODE_ENV: 'production' }), /SESSION_SECRET/);
    const config = readConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) });
    assert.equal(config.secureCookies, true);
  });
});
