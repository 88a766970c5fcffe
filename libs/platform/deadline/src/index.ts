export { DeadlineExceededError, withDeadline } from './with-deadline';
