import { SHORTCUTS } from '../../ids.ts';
import type { ListenerDeps } from '../deps.ts';
import type { ListenerRouter } from '../router.ts';
import { addToTimelineShortcut } from './addToTimeline.ts';
import { declareIncidentShortcut } from './declareIncident.ts';

export function register(app: ListenerRouter, deps: ListenerDeps): void {
  app.shortcut({ callback_id: SHORTCUTS.declare, type: 'shortcut' }, declareIncidentShortcut(deps));
  app.shortcut({ callback_id: SHORTCUTS.addToTimeline, type: 'message_action' }, addToTimelineShortcut(deps));
}
