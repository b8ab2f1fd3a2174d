// Aedes on 127.0.0.1 for umqtt's tests: node server.mjs PORT. Anonymous access, state in memory.
import net from 'node:net'
import { readFileSync } from 'node:fs'
import { Aedes } from 'aedes'

const port = Number(process.argv[2])
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('usage: node server.mjs PORT (1-65535)')
  process.exit(2)
}
const version = JSON.parse(readFileSync(new URL('./node_modules/aedes/package.json', import.meta.url))).version
const aedes = await Aedes.createBroker()
aedes.on('clientError', (client, err) => console.log('client error', client.id, err.message))
const server = net.createServer({ noDelay: true }, aedes.handle)
server.listen(port, '127.0.0.1', () => console.log(`aedes ${version} listening on 127.0.0.1:${port}`))
const stop = () => aedes.close(() => server.close(() => process.exit(0)))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
