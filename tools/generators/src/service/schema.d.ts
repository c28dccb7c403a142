export interface ServiceGeneratorSchema {
  name: string;
  port: number;
  stores?: string;
  description?: string;
  skipRender?: boolean;
}
