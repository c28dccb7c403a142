// the webpack config of every service: one bundle of the app and the libs it uses, node_modules
// left external (nx writes a package.json next to the bundle listing what it needs)
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { basename, join } = require('node:path');

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
        generatePackageJson: true,
        // the bundle requires tslib (importHelpers); nx does not see it as a dependency on its own
        runtimeDependencies: ['tslib'],
        sourceMap: true,
      }),
    ],
  };
};
