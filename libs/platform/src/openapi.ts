import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/**
 * Serves OpenAPI at /docs (UI) and /docs-json. Request schemas come from the zod schemas given to
 * `@Body({ schema })` / `@Query({ schema })` / `@Param(name, { schema })`, response schemas from
 * `@ApiResponse({ standardSchema })`: @nestjs/swagger converts them (Standard JSON Schema).
 */
export function serveOpenApi(app: INestApplication, title: string): void {
  const document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle(title).setVersion('1').addBearerAuth().build());
  SwaggerModule.setup('docs', app, document);
}
