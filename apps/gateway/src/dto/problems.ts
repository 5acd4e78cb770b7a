import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorCode } from '@cp/contracts';
import { ProblemModel } from './views';

/** Documents an error answer: its status, the stable codes it can carry, as problem+json. */
export function ApiProblem(status: number, codes: ErrorCode | ErrorCode[], description: string) {
  const list = Array.isArray(codes) ? codes : [codes];
  return applyDecorators(
    ApiExtraModels(ProblemModel),
    ApiResponse({
      status,
      description: `${list.join(' | ')}: ${description}`,
      content: {
        'application/problem+json': {
          schema: {
            allOf: [{ $ref: getSchemaPath(ProblemModel) }, { properties: { code: { type: 'string', enum: list } } }],
          },
        },
      },
    }),
  );
}

/** Every route: clients are rate limited, and the services behind the gateway can be down. */
export const ApiCommonProblems = () =>
  applyDecorators(
    ApiProblem(429, ErrorCode.RateLimited, 'too many requests; see Retry-After'),
    ApiProblem(503, ErrorCode.ServiceUnavailable, 'a service behind the gateway cannot be reached'),
  );

/** A route with a body or query: each is validated with the shared DTO, unknown fields refused. */
export const ApiInvalidInput = (also: { codes: ErrorCode[]; description: string } = { codes: [], description: '' }) =>
  applyDecorators(
    ApiProblem(
      400,
      [ErrorCode.ValidationFailed, ...also.codes],
      'a field is missing, malformed or unknown; `errors` names each' +
        (also.description ? `; ${also.description}` : ''),
    ),
    ApiProblem(413, ErrorCode.ValidationFailed, 'the JSON body is larger than the gateway accepts'),
  );

export const ApiNotFound = (what: string) =>
  ApiProblem(404, ErrorCode.NotFound, `no such ${what} in your firm (another firm's ids answer the same)`);

/** The answers of a password-reset confirmation whose link cannot be used, each with its own code. */
export const ApiResetLinkProblems = () =>
  applyDecorators(
    ApiInvalidInput({
      codes: [ErrorCode.ResetLinkInvalid],
      description: 'RESET_LINK_INVALID: the link is unknown or malformed; the password is too short or is the email',
    }),
    ApiProblem(
      410,
      [ErrorCode.ResetLinkUsed, ErrorCode.ResetLinkExpired, ErrorCode.ResetLinkSuperseded],
      'the link was used already / is older than 30 minutes / was replaced by a newer one',
    ),
  );

/** A signed-in password change with the wrong current password. */
export const ApiWrongCurrentPassword = () =>
  ApiProblem(403, ErrorCode.CurrentPasswordIncorrect, 'the current password is not correct (nothing changed)');
