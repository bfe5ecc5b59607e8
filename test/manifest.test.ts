import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { isScalar, isSeq, parse, parseDocument } from 'yaml';
import { SUBCOMMANDS } from '../src/domain/command.ts';
import { SHORTCUTS } from '../src/slack/ids.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifestText = readFileSync(`${root}manifest.yml`, 'utf8');
const schema = JSON.parse(readFileSync(`${root}test/fixtures/slack-manifest.schema.json`, 'utf8')) as {
  $schema?: string;
};

// Exactly the bot scopes the features need (the reasons are comments in manifest.yml).
const EXPECTED_BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'channels:manage',
  'groups:write',
  'channels:read',
  'groups:read',
  'channels:join',
  'pins:write',
  'reactions:read',
  'usergroups:read',
  'users:read',
  'files:write',
];

const PLACEHOLDER_URL = 'https://incident-bot.example.com/slack/events';

interface Manifest {
  display_information: { name: string };
  features: {
    bot_user: { display_name: string; always_online?: boolean };
    app_home: {
      home_tab_enabled?: boolean;
      messages_tab_enabled?: boolean;
      messages_tab_read_only_enabled?: boolean;
    };
    slash_commands: { command: string; url?: string; usage_hint?: string; should_escape?: boolean }[];
    shortcuts?: { name: string; type: string; callback_id: string; description: string }[];
  };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: {
    socket_mode_enabled: boolean;
    interactivity: { is_enabled: boolean; request_url?: string };
    event_subscriptions: { request_url?: string; bot_events: string[]; user_events?: string[] };
  };
}

function compileValidator(): ValidateFunction {
  // The schema declares draft-07 ("$schema": "http://json-schema.org/draft-07/schema#"), which is what
  // the default `Ajv` class implements (Ajv2019/Ajv2020 are for the later drafts).
  // Strict mode stays on, with three precise allowances for Slack's schema instead of `strict: false`:
  //  - `formats.uri`: the schema uses `format: "uri"` (on `$schema`) and ajv-formats is not a
  //    dependency; an unknown format is a compile error in strict mode, so define it here.
  //  - `regex` and `_note` are Slack's own keywords (strictSchema rejects unknown keywords). `regex`
  //    is enforced as the pattern Slack means (background_color); `_note` is a comment.
  //  - `strictTypes: false`: one of Slack's subschemas puts `minItems` on a string; strictTypes would
  //    only log a warning for it on every compile.
  const ajv = new Ajv({
    allErrors: true,
    strictTypes: false,
    formats: { uri: (value: string) => URL.canParse(value) },
  });
  ajv.addKeyword({ keyword: '_note', schemaType: 'string' });
  ajv.addKeyword({
    keyword: 'regex',
    type: 'string',
    schemaType: 'string',
    validate: (pattern: string, value: string) => new RegExp(pattern).test(value),
  });
  return ajv.compile(schema);
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)} (${e.schemaPath})`)
    .join('\n');
}

describe('manifest.yml', () => {
  const validate = compileValidator();
  const manifest = parse(manifestText) as Manifest;

  it('uses the draft-07 schema that the Ajv class implements', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it("is valid against Slack's app manifest schema", () => {
    const valid = validate(manifest);
    expect(valid, describeErrors(validate.errors)).toBe(true);
  });

  it('has the bot user, App Home and the /incident slash command', () => {
    expect(manifest.display_information.name).toBe('Incident Bot');
    expect(manifest.features.bot_user).toEqual({ display_name: 'Incident Bot', always_online: true });
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    // Messages tab off, or on but read-only: the bot never listens to DMs.
    const { messages_tab_enabled, messages_tab_read_only_enabled } = manifest.features.app_home;
    expect(messages_tab_enabled !== true || messages_tab_read_only_enabled === true).toBe(true);

    const commands = manifest.features.slash_commands.map((c) => c.command);
    expect(commands).toEqual(['/incident']);
    const incident = manifest.features.slash_commands[0];
    expect(incident?.should_escape).toBe(false);
    expect(incident?.usage_hint).toBe(
      'declare P1 <title> | status | severity | commander | resolve | update | exec | timeline | list | runbooks | runbook RUN-002 | step add <title> | assign step 2 @user | catchup | postmortem | followup | stats | drill | doctor | help',
    );
  });

  it('lists every subcommand the parser knows in the usage hint', () => {
    const hinted = (manifest.features.slash_commands[0]?.usage_hint ?? '')
      .split('|')
      .map((part) => part.trim().split(' ')[0]);
    expect([...hinted].sort()).toEqual([...SUBCOMMANDS].sort());
  });

  it('declares the two shortcuts the bot listens to, with the callback IDs it registers', () => {
    expect(manifest.features.shortcuts).toEqual([
      {
        name: 'Declare an incident',
        type: 'global',
        callback_id: SHORTCUTS.declare,
        description: 'Open the declare form (severity, title, runbook) from anywhere in Slack',
      },
      {
        name: 'Add to incident timeline',
        type: 'message',
        callback_id: SHORTCUTS.addToTimeline,
        description: 'Add this message to the timeline of the incident whose channel it is in',
      },
    ]);
  });

  it('runs in Socket Mode with interactivity and exactly the three bot events', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([
      'app_home_opened',
      'member_joined_channel',
      'reaction_added',
    ]);
    expect(manifest.settings.event_subscriptions.user_events).toBeUndefined();
  });

  it('points every request URL at the HTTP-mode placeholder', () => {
    expect(manifest.features.slash_commands[0]?.url).toBe(PLACEHOLDER_URL);
    expect(manifest.settings.interactivity.request_url).toBe(PLACEHOLDER_URL);
    expect(manifest.settings.event_subscriptions.request_url).toBe(PLACEHOLDER_URL);
  });

  it('asks for exactly the bot scopes the features need, and no user scopes', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(EXPECTED_BOT_SCOPES);
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it('gives every bot scope a comment saying which feature needs it', () => {
    const doc = parseDocument(manifestText);
    const bot = doc.getIn(['oauth_config', 'scopes', 'bot'], true);
    expect(isSeq(bot)).toBe(true);
    if (!isSeq(bot)) return;
    for (const item of bot.items) {
      expect(isScalar(item)).toBe(true);
      if (!isScalar(item)) continue;
      expect(item.comment?.trim(), `scope ${String(item.value)} has no comment`).toBeTruthy();
    }
  });

  describe('the validator bites', () => {
    it('rejects an unknown field', () => {
      const copy = structuredClone(manifest) as unknown as Record<string, Record<string, unknown>>;
      const botUser = copy.features?.bot_user as Record<string, unknown>;
      botUser.favourite_colour = 'red';
      expect(validate(copy)).toBe(false);
      expect(validate.errors).toContainEqual(
        expect.objectContaining({
          instancePath: '/features/bot_user',
          keyword: 'additionalProperties',
          params: { additionalProperty: 'favourite_colour' },
        }),
      );
    });

    it('rejects a wrong type', () => {
      const copy = structuredClone(manifest) as unknown as Record<string, Record<string, unknown>>;
      (copy.settings as Record<string, unknown>).socket_mode_enabled = 'yes';
      expect(validate(copy)).toBe(false);
      expect(validate.errors).toContainEqual(
        expect.objectContaining({ instancePath: '/settings/socket_mode_enabled', keyword: 'type' }),
      );
    });

    it('rejects a slash command without its leading slash', () => {
      const copy = structuredClone(manifest);
      const command = copy.features.slash_commands[0];
      if (command) command.command = 'incident';
      expect(validate(copy)).toBe(false);
      expect(validate.errors).toContainEqual(
        expect.objectContaining({ instancePath: '/features/slash_commands/0/command', keyword: 'pattern' }),
      );
    });

    it("enforces Slack's own `regex` keyword (background_color)", () => {
      const copy = structuredClone(manifest) as unknown as Record<string, Record<string, unknown>>;
      (copy.display_information as Record<string, unknown>).background_color = 'crimson';
      expect(validate(copy)).toBe(false);
      expect(validate.errors).toContainEqual(
        expect.objectContaining({ instancePath: '/display_information/background_color', keyword: 'regex' }),
      );
    });

    it('rejects a manifest without display_information', () => {
      const { display_information: _omitted, ...rest } = manifest;
      expect(validate(rest)).toBe(false);
      expect(validate.errors).toContainEqual(
        expect.objectContaining({ keyword: 'required', params: { missingProperty: 'display_information' } }),
      );
    });
  });
});
