export { InvalidPageTokenError, PageTokenCodec } from './page-token-codec';
