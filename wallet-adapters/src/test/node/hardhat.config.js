// The local chain EvmChain (the EVM adapter's tests) starts with `hardhat node`.
// A failed transaction is mined and its hash returned, as on a real chain, so that a test can
// show the adapter refusing a reverted payment.
module.exports = {
  networks: {
    hardhat: {
      chainId: 31337,
      throwOnTransactionFailures: false,
      throwOnCallFailures: false,
      loggingEnabled: false,
    },
  },
};
