// One model step: the configured API, streamed, with retries.
import { chatCompletionsStep } from './chatCompletions';
import { responsesStep } from './responses';
import type { StepRequest, StepResult } from './types';

export function runModelStep(req: StepRequest): Promise<StepResult> {
  return req.target.api === 'responses' ? responsesStep(req) : chatCompletionsStep(req);
}
