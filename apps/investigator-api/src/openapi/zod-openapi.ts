import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';

/** A zod schema as an OpenAPI 3.0 schema object: the schema that parses the input is the one documented. */
export const openApiSchemaOf = (schema: z.ZodType, io: 'input' | 'output' = 'input'): SchemaObject => {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io,
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return json;
};

/** One `@ApiQuery` per property of a zod object schema of query parameters. */
export const ApiZodQuery = (schema: z.ZodObject): MethodDecorator => {
  const json = openApiSchemaOf(schema);
  const required = new Set(json.required ?? []);
  return applyDecorators(
    ...Object.entries(json.properties ?? {}).map(([name, property]) =>
      ApiQuery({ name, required: required.has(name), schema: property as SchemaObject }),
    ),
  );
};

export const ApiZodBody = (schema: z.ZodType, description?: string): MethodDecorator =>
  ApiBody({ schema: openApiSchemaOf(schema), ...(description ? { description } : {}) });

/** A response documented by the zod schema its body is built to. */
export const ApiZodResponse = (status: number, schema: z.ZodType, description: string): MethodDecorator =>
  ApiResponse({ status, description, schema: openApiSchemaOf(schema, 'output') });
