import * as Args from '@oclif/core/args'

import {BaseCommand} from '../cli/base-command.js'
import type {RuleInfo} from '../actions/rules.js'

export default class Rules extends BaseCommand<RuleInfo[]> {
  public static readonly summary = 'list every rule with its id, severity, title and docs'
  public static readonly examples = [
    '<%= config.bin %> rules',
    '<%= config.bin %> rules identity/secret-in-env',
  ]
  public static readonly args = {
    rule: Args.string({description: 'one rule id (or a family: identity, routes)', required: false}),
  }

  public async run(): Promise<RuleInfo[]> {
    const {args} = await this.parse(Rules)
    const {listRules} = await import('../actions/rules.js')
    const {renderRules} = await import('../cli/views/rules.js')
    const rules = listRules(args.rule)
    this.print(renderRules(rules, Boolean(args.rule), this.ctx.width))
    return rules
  }
}
