import {CfguardError} from '../errors.js'
import {firstProblemError, schemaErrorsToProblems} from './schema-errors.js'
import {validatorFor, type SchemaName} from './schema.js'
import {toPlainData, type YamlSource} from './yaml-source.js'

/** Checks a parsed file against its JSON Schema; the first problem in file order is thrown. */
export function validateDocument<T>(src: YamlSource, name: SchemaName): T {
  const data: unknown = toPlainData(src)
  if (data === null || data === undefined) {
    throw new CfguardError('POLICY_INVALID', `${src.file}:1:1: the file is empty; start it with version: 1`)
  }
  const validate = validatorFor(name)
  if (!validate(data)) {
    const problems = schemaErrorsToProblems(validate.errors ?? [])
    throw (
      firstProblemError(src, problems) ??
      new CfguardError(
        'POLICY_INVALID',
        `${src.file}:1:1: the file does not match schemas/${name}.schema.json`,
      )
    )
  }
  return data as T
}
