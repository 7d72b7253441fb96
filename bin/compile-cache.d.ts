// Types for compile-cache.js (plain JS so that run.js loads it without a build step), for the tests.

export interface CompileCacheAnswer {
  status: number
  message?: string
  directory?: string
}

export function compileCacheDir(
  env: Record<string, string | undefined>,
  home?: () => string | undefined,
): string | undefined

export function enableCompileCache(
  env?: Record<string, string | undefined>,
  enable?: (dir?: string) => CompileCacheAnswer,
): CompileCacheAnswer | undefined
