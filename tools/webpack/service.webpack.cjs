// the webpack config of every service: one bundle of the app and the libs it uses, node_modules
// left external; a package.json and a pruned lockfile next to the bundle list what it can load
// (package-json.plugin.cjs), which is all the image installs
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { basename, join } = require('node:path');
const { ServicePackageJsonPlugin } = require('./package-json.plugin.cjs');

module.exports = function serviceWebpackConfig(appDir) {
  return {
    output: {
      path: join(__dirname, '../../dist/apps', basename(appDir)),
      clean: true,
      ...(process.env.NODE_ENV !== 'production' && { devtoolModuleFilenameTemplate: '[absolute-resource-path]' }),
    },
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main: './src/main.ts',
        tsConfig: './tsconfig.app.json',
        assets: ['./src/assets'],
        optimization: false,
        outputHashing: 'none',
        generatePackageJson: false,
        sourceMap: true,
      }),
      new ServicePackageJsonPlugin({
        projectName: basename(appDir),
        // loaded by name at run time, so not seen in the bundle: tslib (importHelpers) and the static
        // file server @nestjs/swagger uses on fastify for /docs
        runtimeDependencies: ['tslib', '@fastify/static'],
      }),
    ],
  };
};
