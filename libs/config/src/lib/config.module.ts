import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { registerPieces } from './define-config';

/** hands already-validated config to @nestjs/config, one namespace per piece */
@Module({})
export class AppConfigModule {
  static forRoot(values: Record<string, unknown>): DynamicModule {
    return {
      module: AppConfigModule,
      global: true,
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, isGlobal: true, load: registerPieces(values), skipProcessEnv: true })],
    };
  }
}
