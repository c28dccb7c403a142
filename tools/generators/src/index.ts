export { default as serviceGenerator, normalize, STORES } from './service/generator';
