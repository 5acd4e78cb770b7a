import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { REFRESH_COOKIE } from './auth/refresh-cookie';

/** The OpenAPI document of the gateway's routes (the web app's client is generated from it). */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Client Portal API')
      .setDescription('Firm staff and portal contacts. Errors are application/problem+json with a stable `code`.')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'staff')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'portal')
      .addCookieAuth(REFRESH_COOKIE.staff.name, { type: 'apiKey', in: 'cookie' }, REFRESH_COOKIE.staff.name)
      .addCookieAuth(REFRESH_COOKIE.portal.name, { type: 'apiKey', in: 'cookie' }, REFRESH_COOKIE.portal.name)
      .build(),
  );
}

/** Serves the OpenAPI document at /v1/docs (UI) and /v1/docs-json. */
export function setupOpenApi(app: INestApplication): void {
  const document = openApiDocument(app);
  SwaggerModule.setup('v1/docs', app, document, { jsonDocumentUrl: 'v1/docs-json' });
}
