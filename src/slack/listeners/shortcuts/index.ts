import type { App } from '@slack/bolt';
import { SHORTCUTS } from '../../ids.ts';
import type { ListenerDeps } from '../deps.ts';
import { addToTimelineShortcut } from './addToTimeline.ts';
import { declareIncidentShortcut } from './declareIncident.ts';

export function register(app: App, deps: ListenerDeps): void {
  app.shortcut({ callback_id: SHORTCUTS.declare, type: 'shortcut' }, declareIncidentShortcut(deps));
  app.shortcut({ callback_id: SHORTCUTS.addToTimeline, type: 'message_action' }, addToTimelineShortcut(deps));
}
