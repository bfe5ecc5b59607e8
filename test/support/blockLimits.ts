/**
 * Block Kit limits the fake Slack enforces, so an end-to-end test fails the way production would
 * (`invalid_blocks`) instead of passing against a fake that accepts anything.
 *
 * Only the limits an incident bot can plausibly hit are checked; unknown block and element types pass.
 * Numbers from Slack's Block Kit reference (blocks, block elements, composition objects, view objects).
 */

export type Surface = 'message' | 'modal' | 'home';

export const LIMITS = {
  blocks: { message: 50, modal: 100, home: 100 },
  blockId: 255,
  actionId: 255,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  checkboxOptions: 10,
  radioOptions: 10,
  selectOptions: 100,
  overflowOptions: 5,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  viewTitle: 24,
  viewButton: 24,
  callbackId: 255,
  privateMetadata: 3000,
  messageText: 40000,
} as const;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function textOf(v: unknown): string | undefined {
  if (isObj(v) && typeof v.text === 'string') return v.text;
  return undefined;
}

function checkText(
  errors: string[],
  v: unknown,
  max: number,
  path: string,
  opts: { plainOnly?: boolean; required?: boolean } = {},
): void {
  if (v === undefined) {
    if (opts.required) errors.push(`missing required field [json-pointer:${path}]`);
    return;
  }
  if (!isObj(v) || typeof v.text !== 'string' || (v.type !== 'plain_text' && v.type !== 'mrkdwn')) {
    errors.push(`must be a text object [json-pointer:${path}]`);
    return;
  }
  if (opts.plainOnly && v.type !== 'plain_text')
    errors.push(`must be plain_text [json-pointer:${path}/type]`);
  if (v.text.length === 0) errors.push(`must be more than 0 characters [json-pointer:${path}/text]`);
  if (v.text.length > max) errors.push(`must be less than ${max + 1} characters [json-pointer:${path}/text]`);
}

function optionKey(o: unknown): string {
  return isObj(o) ? `${textOf(o.text) ?? ''}\u0000${String(o.value ?? '')}` : '';
}

function checkOptions(errors: string[], options: unknown, max: number, path: string, min = 1): unknown[] {
  if (!Array.isArray(options)) {
    errors.push(`missing required field options [json-pointer:${path}]`);
    return [];
  }
  if (options.length < min) errors.push(`must provide at least ${min} items [json-pointer:${path}]`);
  if (options.length > max) errors.push(`must provide no more than ${max} items [json-pointer:${path}]`);
  options.forEach((o, i) => {
    const p = `${path}/${i}`;
    if (!isObj(o)) {
      errors.push(`must be an option object [json-pointer:${p}]`);
      return;
    }
    checkText(errors, o.text, LIMITS.optionText, `${p}/text`, { required: true });
    if (typeof o.value === 'string' && o.value.length > LIMITS.optionValue) {
      errors.push(`must be less than ${LIMITS.optionValue + 1} characters [json-pointer:${p}/value]`);
    }
    if (o.description !== undefined)
      checkText(errors, o.description, LIMITS.optionDescription, `${p}/description`);
  });
  return options;
}

function checkInitialOptions(errors: string[], options: unknown[], initial: unknown, path: string): void {
  if (initial === undefined) return;
  const list = Array.isArray(initial) ? initial : [initial];
  const known = new Set(options.map(optionKey));
  list.forEach((o, i) => {
    if (!known.has(optionKey(o))) {
      errors.push(`initial option must match one of the options exactly [json-pointer:${path}/${i}]`);
    }
  });
}

function checkElement(errors: string[], el: unknown, path: string): void {
  if (!isObj(el) || typeof el.type !== 'string') {
    errors.push(`must be a block element [json-pointer:${path}]`);
    return;
  }
  if (typeof el.action_id === 'string' && el.action_id.length > LIMITS.actionId) {
    errors.push(`must be less than ${LIMITS.actionId + 1} characters [json-pointer:${path}/action_id]`);
  }
  if (el.placeholder !== undefined)
    checkText(errors, el.placeholder, LIMITS.placeholder, `${path}/placeholder`, { plainOnly: true });
  switch (el.type) {
    case 'button':
      checkText(errors, el.text, LIMITS.buttonText, `${path}/text`, { plainOnly: true, required: true });
      if (typeof el.value === 'string' && el.value.length > LIMITS.buttonValue) {
        errors.push(`must be less than ${LIMITS.buttonValue + 1} characters [json-pointer:${path}/value]`);
      }
      if (typeof el.url === 'string' && el.url.length > LIMITS.url) {
        errors.push(`must be less than ${LIMITS.url + 1} characters [json-pointer:${path}/url]`);
      }
      break;
    case 'checkboxes': {
      const opts = checkOptions(errors, el.options, LIMITS.checkboxOptions, `${path}/options`);
      checkInitialOptions(errors, opts, el.initial_options, `${path}/initial_options`);
      break;
    }
    case 'radio_buttons': {
      const opts = checkOptions(errors, el.options, LIMITS.radioOptions, `${path}/options`);
      checkInitialOptions(errors, opts, el.initial_option, `${path}/initial_option`);
      break;
    }
    case 'static_select':
    case 'multi_static_select': {
      if (el.option_groups !== undefined) break;
      const opts = checkOptions(errors, el.options, LIMITS.selectOptions, `${path}/options`);
      checkInitialOptions(errors, opts, el.initial_option ?? el.initial_options, `${path}/initial_option`);
      break;
    }
    case 'overflow':
      checkOptions(errors, el.options, LIMITS.overflowOptions, `${path}/options`, 2);
      break;
    default:
      break;
  }
}

/** Returns Slack-style error strings ("must be less than 3001 characters [json-pointer:/blocks/0/text/text]"). */
export function validateBlocks(blocks: unknown, surface: Surface): string[] {
  const errors: string[] = [];
  if (blocks === undefined) return errors;
  if (!Array.isArray(blocks)) return ['must be an array [json-pointer:/blocks]'];
  const max = LIMITS.blocks[surface];
  if (blocks.length > max) errors.push(`must provide no more than ${max} items [json-pointer:/blocks]`);
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => {
    const path = `/blocks/${i}`;
    if (!isObj(b) || typeof b.type !== 'string') {
      errors.push(`must be a block [json-pointer:${path}]`);
      return;
    }
    if (typeof b.block_id === 'string') {
      if (b.block_id.length > LIMITS.blockId) {
        errors.push(`must be less than ${LIMITS.blockId + 1} characters [json-pointer:${path}/block_id]`);
      }
      if (blockIds.has(b.block_id))
        errors.push(`duplicate block_id ${b.block_id} [json-pointer:${path}/block_id]`);
      blockIds.add(b.block_id);
    }
    const actionIds = new Set<string>();
    const noteActionId = (el: unknown, p: string): void => {
      if (isObj(el) && typeof el.action_id === 'string') {
        if (actionIds.has(el.action_id))
          errors.push(`duplicate action_id ${el.action_id} [json-pointer:${p}/action_id]`);
        actionIds.add(el.action_id);
      }
    };
    switch (b.type) {
      case 'section':
        if (b.text === undefined && b.fields === undefined) {
          errors.push(`must provide text or fields [json-pointer:${path}]`);
        }
        checkText(errors, b.text, LIMITS.sectionText, `${path}/text`);
        if (b.fields !== undefined) {
          if (!Array.isArray(b.fields)) errors.push(`must be an array [json-pointer:${path}/fields]`);
          else {
            if (b.fields.length > LIMITS.sectionFields) {
              errors.push(
                `must provide no more than ${LIMITS.sectionFields} items [json-pointer:${path}/fields]`,
              );
            }
            b.fields.forEach((f, j) => {
              checkText(errors, f, LIMITS.sectionFieldText, `${path}/fields/${j}`);
            });
          }
        }
        if (b.accessory !== undefined) checkElement(errors, b.accessory, `${path}/accessory`);
        break;
      case 'header':
        checkText(errors, b.text, LIMITS.headerText, `${path}/text`, { plainOnly: true, required: true });
        break;
      case 'context':
        if (!Array.isArray(b.elements) || b.elements.length === 0) {
          errors.push(`must provide at least 1 item [json-pointer:${path}/elements]`);
        } else if (b.elements.length > LIMITS.contextElements) {
          errors.push(
            `must provide no more than ${LIMITS.contextElements} items [json-pointer:${path}/elements]`,
          );
        }
        break;
      case 'actions':
        if (!Array.isArray(b.elements) || b.elements.length === 0) {
          errors.push(`must provide at least 1 item [json-pointer:${path}/elements]`);
        } else {
          if (b.elements.length > LIMITS.actionsElements) {
            errors.push(
              `must provide no more than ${LIMITS.actionsElements} items [json-pointer:${path}/elements]`,
            );
          }
          b.elements.forEach((el, j) => {
            checkElement(errors, el, `${path}/elements/${j}`);
            noteActionId(el, `${path}/elements/${j}`);
          });
        }
        break;
      case 'input':
        checkText(errors, b.label, LIMITS.inputLabel, `${path}/label`, { plainOnly: true, required: true });
        if (b.hint !== undefined)
          checkText(errors, b.hint, LIMITS.inputHint, `${path}/hint`, { plainOnly: true });
        checkElement(errors, b.element, `${path}/element`);
        break;
      default:
        break;
    }
  });
  return errors;
}

/** View-object limits (title, submit, close, callback_id, private_metadata) plus its blocks. */
export function validateView(view: unknown, surface: Exclude<Surface, 'message'>): string[] {
  if (!isObj(view)) return ['must be a view object [json-pointer:/view]'];
  const errors: string[] = [];
  if (surface === 'modal') {
    if (view.type !== 'modal') errors.push('must be "modal" [json-pointer:/view/type]');
    checkText(errors, view.title, LIMITS.viewTitle, '/view/title', { plainOnly: true, required: true });
    if (view.submit !== undefined)
      checkText(errors, view.submit, LIMITS.viewButton, '/view/submit', { plainOnly: true });
    if (view.close !== undefined)
      checkText(errors, view.close, LIMITS.viewButton, '/view/close', { plainOnly: true });
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObj(b) && b.type === 'input');
    if (hasInput && view.submit === undefined) {
      errors.push('must provide submit when blocks contain an input [json-pointer:/view/submit]');
    }
  } else if (view.type !== 'home') {
    errors.push('must be "home" [json-pointer:/view/type]');
  }
  if (typeof view.callback_id === 'string' && view.callback_id.length > LIMITS.callbackId) {
    errors.push(`must be less than ${LIMITS.callbackId + 1} characters [json-pointer:/view/callback_id]`);
  }
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > LIMITS.privateMetadata) {
    errors.push(
      `must be less than ${LIMITS.privateMetadata + 1} characters [json-pointer:/view/private_metadata]`,
    );
  }
  errors.push(
    ...validateBlocks(view.blocks ?? [], surface).map((e) =>
      e.replace('[json-pointer:/blocks', '[json-pointer:/view/blocks'),
    ),
  );
  return errors;
}
