export {type LogEnvelope, NO_INSTANCE, aggregateTraffic, p95} from './aggregate.js'
export {type RtrRecord, parseRtrLine, unquoteGo} from './rtr-line.js'
