import { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/**
 * Serves OpenAPI at /docs (UI) and /docs-json. Request schemas come from zod (ApiZodBody/ApiZodQuery).
 * A parameter typed with a zod schema's same-named type (`body: CreateOrder`) makes the compiler
 * record the schema object as the parameter's "class"; the explorer would crash on it, so such
 * metadata is reset to Object first.
 */
export function serveOpenApi(app: INestApplication, title: string): void {
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const proto = (wrapper.metatype as { prototype?: object } | null)?.prototype;
      if (!proto) continue;
      for (const key of Object.getOwnPropertyNames(proto)) {
        const types = Reflect.getMetadata('design:paramtypes', proto, key) as unknown[] | undefined;
        if (types?.some((t) => typeof t !== 'function')) {
          Reflect.defineMetadata('design:paramtypes', types.map((t) => (typeof t === 'function' ? t : Object)), proto, key);
        }
      }
    }
  }
  const document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle(title).setVersion('1').build());
  SwaggerModule.setup('docs', app, document);
}
