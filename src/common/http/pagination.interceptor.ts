import { CallHandler, ExecutionContext, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, Observable } from 'rxjs';
import { Page } from './pagination';

/** Turns a returned Page into a JSON array plus a GitHub-style `Link: <…>; rel="next"` header. */
@Injectable()
export class PaginationInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((result: unknown) => {
        if (!(result instanceof Page) || context.getType() !== 'http') return result;
        if (result.nextCursor) {
          const request = context.switchToHttp().getRequest<Request>();
          const response = context.switchToHttp().getResponse<Response>();
          const url = new URL(request.originalUrl, `${request.protocol}://${request.get('host') ?? 'localhost'}`);
          url.searchParams.set('cursor', result.nextCursor);
          response.setHeader('Link', `<${url.toString()}>; rel="next"`);
        }
        return result.items as unknown[];
      }),
    );
  }
}

/**
 * Marks a list route that returns a Page. Only those routes take the interceptor: on every other route it would
 * wrap the answer in observables and async-context bindings for nothing.
 */
export const Paginated = () => UseInterceptors(PaginationInterceptor);
