import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FactorRequired } from '../../core/login/verdict.js';
import type { ErrorRenderer } from '../../http/errors.js';
import { stepPage, type Hosted } from './hosted-context.js';
import type { Interaction } from './interaction-kit.js';
import { messageBody } from './pages.js';

/** The password was right and the account has further factors: the second-factor step. */
export async function startFactorStep(h: Hosted, _request: FastifyRequest, reply: FastifyReply, details: Interaction, verdict: FactorRequired): Promise<FastifyReply> {
  void verdict;
  return stepPage(h, details).send(reply, 401, 'Two-step verification', messageBody('Two-step verification', 'This account uses two-step verification, which this page cannot take yet.'));
}

export function factorStep(app: FastifyInstance, h: Hosted, config: { renderError: ErrorRenderer }): void {
  void app;
  void h;
  void config;
}
