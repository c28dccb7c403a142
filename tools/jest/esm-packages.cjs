// swagger ui is served by @fastify/static, which requires the esm-only content-disposition 3.
// node 20.19+ loads it natively; jest's module loader cannot, so those packages are compiled to cjs.
// spread into the jest config of any project whose tests build a whole service.
// (the compiler options are a file, not an object: nx's jest plugin reads the tsconfig path)
module.exports = {
  transform: {
    '/node_modules/content-disposition/.+\\.js$': ['ts-jest', { tsconfig: require('node:path').join(__dirname, 'tsconfig.esm-packages.json') }],
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
};
