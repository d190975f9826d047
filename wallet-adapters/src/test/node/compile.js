// Compiles one Solidity file with the pinned solc (solcjs, offline) and prints, as JSON, each
// contract's ABI and creation bytecode: {"Name": {"abi": [...], "bytecode": "0x..."}}.
// Usage: node compile.js path/to/Contract.sol
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const file = process.argv[2];
if (!file) {
  console.error('usage: node compile.js Contract.sol');
  process.exit(2);
}
const name = path.basename(file);
const input = {
  language: 'Solidity',
  sources: { [name]: { content: fs.readFileSync(file, 'utf8') } },
  settings: {
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
if (errors.length > 0) {
  errors.forEach((e) => console.error(e.formattedMessage));
  process.exit(1);
}
const contracts = {};
for (const [contractName, c] of Object.entries(output.contracts[name])) {
  contracts[contractName] = { abi: c.abi, bytecode: '0x' + c.evm.bytecode.object };
}
process.stdout.write(JSON.stringify(contracts));
