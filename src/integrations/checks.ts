/** One line of `doctor` about an integration: what was checked, and how to fix it when it failed. */
export interface IntegrationCheck {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}
