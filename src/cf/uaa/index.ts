export * from './client.js'
export * from './probe.js'
export * from './tokens.js'
export * from './verify.js'
